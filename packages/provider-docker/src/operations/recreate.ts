import type { Workspace } from '@nexus/core'
import { stopGraceSeconds } from '../config.js'
import { workspaceUserFor } from '../image/builder.js'
import { waitForWorkspaceSshd } from '../workspace/sshd-wait.js'
import { withMountErrors } from '../workspace/mount-errors.js'
import { namesFor } from '../workspace/naming.js'
import {
  createWorkspaceContainer,
  ensureNetwork,
  ensureWorkspaceImage,
  type DockerDeps,
} from '../workspace/provision.js'
import type { StoredWorkspace } from '../workspace/store.js'

/**
 * Replaces the workspace container with one built from `stored` (Docker cannot add or drop mounts on a live
 * container), on the same image, and brings it back to the state it was in. /workspace and the volumes live outside
 * the container and are kept; changes to its root filesystem are not.
 */
export async function recreateWorkspaceContainer(
  deps: DockerDeps,
  workspace: Workspace,
  stored: StoredWorkspace,
): Promise<{ running: boolean; containerId: string }> {
  const container = namesFor(workspace).container
  const details = await deps.engine.inspectContainer(container)
  const running = details?.State.Running ?? false
  if (running) await deps.engine.stopContainer(container, stopGraceSeconds(deps.globalConfig))
  if (details) await deps.engine.removeContainer(container, { force: true })
  // The image the container was made from may have been removed since (the container holds on to its layers).
  const image =
    details && (await deps.engine.inspectImage(details.Image))
      ? { tag: details.Image, user: workspaceUserFor(deps.identity) }
      : await ensureWorkspaceImage(deps, workspace, stored)
  await ensureNetwork(deps, workspace)
  const containerId = await createWorkspaceContainer(deps, workspace, stored, image)
  if (running) {
    await withMountErrors(workspace, deps.engine.location, () => deps.engine.startContainer(containerId))
    await waitForWorkspaceSshd(deps, workspace)
  }
  return { running, containerId }
}
