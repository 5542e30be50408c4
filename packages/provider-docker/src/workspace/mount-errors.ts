import { existsSync } from 'node:fs'
import { NexusError, isNexusError, type Workspace } from '@nexus/core'
import { engineMessage } from '../engine/errors.js'

const MISSING_SOURCE = /bind source path does not exist:\s*(\S+)/i
/** Docker Desktop's refusal of a path outside its file sharing, and an engine (or its VM) denied the path itself. */
const DENIED = /mounts? denied|is not shared from the host|not known to docker|permission denied/i

function engineText(error: unknown): string {
  const cause = isNexusError(error) ? (error as { cause?: unknown }).cause : error
  return engineMessage(cause ?? error)
}

function sharePath(location: string, path: string, workspace: Workspace): string {
  return (
    `Share ${path} with the engine at ${location} (Docker Desktop: Settings → Resources → File sharing; ` +
    `colima/lima: add it to the VM's mounts), or keep the repository under a path it shares, such as your home ` +
    `directory; then run \`nexus workspace start ${workspace.name}\`.`
  )
}

/**
 * What a failed bind mount means for the user, or undefined when the error is not about mounts. A source the engine
 * says does not exist may still exist here: then the engine runs where this path is not shared (a VM, a remote host),
 * which is a denial, not a loss.
 */
export function mountFailure(error: unknown, workspace: Workspace, location: string): NexusError | undefined {
  const message = engineText(error)
  const missing = message.match(MISSING_SOURCE)?.[1]
  if (missing && !existsSync(missing)) {
    const what = missing === workspace.worktreePath ? 'the worktree' : 'a path it mounts'
    return new NexusError(
      'WORKSPACE_START_FAILED',
      `Workspace "${workspace.name}" cannot be mounted: ${what}, ${missing}, no longer exists.`,
      {
        suggestion: `Run \`nexus workspace repair ${workspace.name}\` to bring the worktree back from branch ${workspace.branch}, or destroy the workspace with \`nexus workspace destroy ${workspace.name} --force\`.`,
        cause: error,
        details: { path: missing },
      },
    )
  }
  if (missing || (DENIED.test(message) && /mount|bind|shared/i.test(message))) {
    const path = missing ?? workspace.worktreePath
    return new NexusError(
      'PERMISSION_DENIED',
      `The Docker engine at ${location} may not mount ${path} into workspace "${workspace.name}": ${message}.`,
      { suggestion: sharePath(location, path, workspace), cause: error, details: { path, engine: message } },
    )
  }
  return undefined
}

/** Runs an engine call that mounts the workspace's paths, turning mount refusals into what to do about them. */
export async function withMountErrors<T>(
  workspace: Workspace,
  location: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    throw mountFailure(error, workspace, location) ?? error
  }
}
