import type { DoctorCheck } from '../doctor/types.js'
import type { Provider } from '../provider/index.js'
import type { Workspace } from '../workspace/index.js'
import { worktreePresent } from './worktree-parts.js'

const SETTLED = new Set(['stopped', 'running', 'paused', 'error'])

/** What is wrong with one workspace at a glance (no git calls, one inspect): empty when nothing is. */
export async function driftOf(provider: Provider, workspace: Workspace): Promise<string[]> {
  const problems: string[] = []
  if (!SETTLED.has(workspace.status))
    problems.push(`${workspace.status} (a command is under way, or was interrupted)`)
  if (!worktreePresent(workspace.worktreePath))
    problems.push(`its worktree ${workspace.worktreePath} is gone`)
  if (workspace.status === 'pending' || workspace.status === 'destroying') return problems
  const live = await provider.inspect(workspace).catch(() => undefined)
  if (live?.status === 'missing') problems.push(`${provider.name} holds nothing for it`)
  else if (live && live.status !== workspace.status && workspace.status !== 'error')
    problems.push(`recorded ${workspace.status}, but ${provider.name} has it ${live.status}`)
  return problems
}

/**
 * `nexus doctor`'s view of the workspaces on one backend: each one whose record disagrees with what exists, with the
 * repair that fixes it.
 */
export async function checkWorkspaceDrift(provider: Provider, workspaces: Workspace[]): Promise<DoctorCheck> {
  const id = `workspaces:${provider.name}`
  const mine = workspaces.filter((w) => w.backend === provider.name)
  const drifted = (
    await Promise.all(mine.map(async (w) => ({ workspace: w, problems: await driftOf(provider, w) })))
  ).filter((d) => d.problems.length > 0)
  if (drifted.length === 0)
    return { id, status: 'ok', message: `${mine.length} ${provider.name} workspace(s) match what exists.` }
  const listed = drifted.map((d) => `${d.workspace.name}: ${d.problems.join('; ')}`).join(' · ')
  const only = drifted.length === 1 ? drifted[0]?.workspace.name : undefined
  return {
    id,
    status: 'fail',
    message: `Workspaces out of step with what exists: ${listed}.`,
    fix: only ? `nexus workspace repair ${only}` : 'nexus workspace repair --all',
  }
}
