import { existsSync } from 'node:fs'
import type { Provider } from '../provider/index.js'
import { workspaceLockKey } from '../state/index.js'
import type { Workspace } from '../workspace/index.js'
import { failure } from './act.js'
import {
  KEPT_BY_DESTROY,
  repairDestroyed,
  repairDestroying,
  repairKeptByDestroy,
  repairPending,
} from './interrupted.js'
import { repairParts } from './parts.js'
import type { RepairContext } from './types.js'

/**
 * Repairs one workspace from its record, holding its lock (so a command still running on it finishes first, and a
 * lock left by a killed command is taken over once proper-lockfile deems it stale). A dry run only reads.
 */
export async function repairRecord(ctx: RepairContext, workspace: Workspace): Promise<void> {
  const problem = { subject: workspace.name, problem: 'It could not be checked.', action: 'Check it.' }
  try {
    if (ctx.dryRun) return await dispatch(ctx, workspace)
    await ctx.deps.state.withLock(
      workspaceLockKey(workspace.repoRoot, workspace.name),
      async () => {
        const fresh = await ctx.deps.state.get(workspace.id)
        if (fresh) await dispatch(ctx, fresh)
      },
      { what: `Workspace "${workspace.name}"` },
    )
  } catch (error) {
    ctx.actions.push(failure(problem, error))
  }
}

async function dispatch(ctx: RepairContext, workspace: Workspace): Promise<void> {
  if (!existsSync(workspace.repoRoot)) {
    ctx.actions.push({
      subject: workspace.name,
      problem: `Its repository ${workspace.repoRoot} is gone, so nothing can be recreated.`,
      action: 'Left as it is.',
      outcome: 'failed',
      code: 'NOT_A_GIT_REPOSITORY',
      next: `Run \`nexus workspace cleanup\` to release its ports and remove what its backend still holds.`,
    })
    return
  }
  const provider: Provider = await ctx.deps.registry.get(workspace.backend)
  switch (workspace.status) {
    case 'pending':
      return repairPending(ctx, provider, workspace)
    case 'destroying':
      return repairDestroying(ctx, provider, workspace)
    case 'destroyed':
      return repairDestroyed(ctx, provider, workspace)
    case 'error':
      if (workspace.lastError?.message.startsWith(KEPT_BY_DESTROY))
        return repairKeptByDestroy(ctx, provider, workspace)
      return repairParts(ctx, provider, workspace)
    default:
      return repairParts(ctx, provider, workspace)
  }
}
