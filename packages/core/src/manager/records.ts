import { NexusError } from '../errors/index.js'
import { assertTransition, type Workspace, type WorkspaceStatus } from '../workspace/index.js'
import { timestamp, type ManagerDeps } from './deps.js'

/** Moves a workspace to a new status through the transition table and saves it. */
export async function transition(
  deps: ManagerDeps,
  workspace: Workspace,
  to: WorkspaceStatus,
  changes: Partial<Workspace> = {},
): Promise<Workspace> {
  assertTransition(workspace.name, workspace.status, to)
  const now = timestamp(deps)
  const next: Workspace = {
    ...workspace,
    ...changes,
    status: to,
    updatedAt: now,
    ...(to === 'running' ? { lastActiveAt: now } : {}),
    ...(to !== 'error' ? { lastError: null } : {}),
  }
  await deps.state.write(next)
  return next
}

/** Saves a workspace as `error` with what went wrong and what to run next, from any status. */
export async function markError(
  deps: ManagerDeps,
  workspace: Workspace,
  error: { code: string; message: string; suggestion?: string | null },
): Promise<Workspace> {
  const next: Workspace = {
    ...workspace,
    status: 'error',
    updatedAt: timestamp(deps),
    lastError: { code: error.code, message: error.message, suggestion: error.suggestion ?? null },
  }
  await deps.state.write(next)
  return next
}

/**
 * Finds a workspace by name: in the current repository when the cwd is inside one, else across all repositories
 * as long as the name is unambiguous.
 */
export async function resolveWorkspace(
  deps: ManagerDeps,
  name: string,
  repoRoot: string | undefined,
): Promise<Workspace> {
  const all = await deps.state.list()
  const named = all.filter((w) => w.name === name)
  const match = repoRoot
    ? named.find((w) => w.repoRoot === repoRoot)
    : named.length === 1
      ? named[0]
      : undefined
  if (match) return match
  if (!repoRoot && named.length > 1) {
    throw new NexusError('INVALID_ARGUMENT', `Several repositories have a workspace named "${name}".`, {
      suggestion: `Run the command from inside the repository you mean (${named.map((w) => w.repoRoot).join(', ')}).`,
    })
  }
  throw new NexusError(
    'WORKSPACE_NOT_FOUND',
    `No workspace named "${name}"${repoRoot ? ` in ${repoRoot}` : ''}.`,
    {
      suggestion:
        'List workspaces with `nexus workspace ls`, or create it with `nexus workspace create ' + name + '`.',
      details: { name },
    },
  )
}
