import {
  NexusError,
  type CreateRequest,
  type CreateResult,
  type StartResult,
  type Workspace,
} from '@nexus/core'
import { chooseImage } from '../config.js'
import { provisionServices } from '../services/runtime.js'
import { backendRefOf } from '../workspace/lifecycle.js'
import { LABELS, namesFor, workspaceLabels } from '../workspace/naming.js'
import {
  createWorkspaceContainer,
  ensureNetwork,
  servicesOf,
  storedSpecFor,
  type DockerDeps,
} from '../workspace/provision.js'
import type { AttachedVolume, StoredWorkspace } from '../workspace/store.js'
import type { DockerSnapshotRef } from './snapshot-ref.js'
import { copyVolumes } from './volume-copy.js'

async function requireImage(deps: DockerDeps, ref: DockerSnapshotRef, what: string): Promise<void> {
  if (await deps.engine.inspectImage(ref.imageId)) return
  throw new NexusError(
    'BACKEND_ERROR',
    `The image of this snapshot (${ref.image}) is gone from Docker, so ${what}.`,
    {
      suggestion:
        'Delete the snapshot with `nexus workspace snapshot delete <workspace> <snapshot>`; it cannot be used any more.',
      details: { image: ref.image, imageId: ref.imageId },
    },
  )
}

/** The volumes a snapshot attached to the workspace container, named for `workspace`. */
function attachmentsFor(workspace: Workspace, ref: DockerSnapshotRef): AttachedVolume[] {
  const names = namesFor(workspace)
  return ref.volumes.flatMap((volume) =>
    volume.mount
      ? [{ volume: volume.volume, dockerVolume: names.volume(volume.volume), mount: volume.mount }]
      : [],
  )
}

/** Fills `workspace`'s volumes from the snapshot's copies, creating the ones that do not exist (any more). */
async function restoreVolumes(deps: DockerDeps, workspace: Workspace, ref: DockerSnapshotRef): Promise<void> {
  const names = namesFor(workspace)
  await Promise.all(
    ref.volumes.map(async (volume) => {
      const name = names.volume(volume.volume)
      if (await deps.engine.inspectVolume(name)) return
      const labels = { ...workspaceLabels(workspace), [LABELS.volume]: volume.volume }
      await deps.engine.createVolume(
        name,
        volume.service ? { ...labels, [LABELS.service]: volume.service } : labels,
      )
    }),
  )
  await copyVolumes(
    deps,
    ref.imageId,
    ref.volumes.map((volume) => ({ from: volume.archive, to: names.volume(volume.volume), replace: true })),
  )
}

/**
 * Puts a stopped workspace back as captured: volumes refilled from their copies, the container recreated from the
 * snapshot image with the workspace's own name, ports, mounts and env, and the volume attachments the snapshot had.
 * Volumes made after the snapshot are kept as they are. Core starts the workspace afterwards.
 */
export async function restoreSnapshot(
  deps: DockerDeps,
  workspace: Workspace,
  ref: DockerSnapshotRef,
): Promise<StartResult> {
  await requireImage(deps, ref, 'the workspace cannot be restored from it')
  const warnings: string[] = []
  const stored: StoredWorkspace = {
    ...(await storedSpecFor(deps, workspace, warnings)),
    volumes: attachmentsFor(workspace, ref),
  }
  await restoreVolumes(deps, workspace, ref)
  await deps.store.write(workspace.id, stored)
  await deps.engine.removeContainer(namesFor(workspace).container, { force: true })
  await ensureNetwork(deps, workspace)
  const containerId = await createWorkspaceContainer(deps, workspace, stored, {
    tag: ref.imageId,
    user: ref.user,
  })
  return { backendRef: backendRefOf(deps, workspace, containerId), ...(warnings.length ? { warnings } : {}) }
}

/** Provisions a new workspace (not started) from another's snapshot: its image, its volumes' content. */
export async function createFromSnapshot(
  deps: DockerDeps,
  request: CreateRequest,
  ref: DockerSnapshotRef,
): Promise<CreateResult> {
  const { workspace, spec } = request
  await requireImage(deps, ref, `workspace "${workspace.name}" cannot be made from it`)
  const stored: StoredWorkspace = {
    version: 1,
    env: spec.env,
    authorizedKeys: spec.authorizedKeys,
    gitCommonDir: spec.gitCommonDir,
    // What a recreate from the record falls back to, as for any workspace.
    image: chooseImage(deps.config, spec.options),
    volumes: attachmentsFor(workspace, ref),
    networks: [],
  }
  await deps.store.write(workspace.id, stored)
  try {
    await ensureNetwork(deps, workspace)
    await restoreVolumes(deps, workspace, ref)
    const [containerId] = await Promise.all([
      createWorkspaceContainer(deps, workspace, stored, { tag: ref.imageId, user: ref.user }),
      provisionServices(deps.engine, deps.reporter, workspace, servicesOf(deps, workspace)),
    ])
    return { backendRef: backendRefOf(deps, workspace, containerId) }
  } catch (error) {
    // Core removes containers and the network of a failed create; the filled volumes are this call's to undo.
    const names = namesFor(workspace)
    await Promise.all(
      ref.volumes.map((volume) => deps.engine.removeVolume(names.volume(volume.volume)).catch(() => false)),
    )
    await deps.store.remove(workspace.id)
    throw error
  }
}
