import { markError, transition } from '../manager/records.js'
import type { Provider } from '../provider/index.js'
import { removeWorktree } from '../worktree/index.js'
import type { Workspace } from '../workspace/index.js'
import { act, failure, keep } from './act.js'
import { recreateOnBackend } from './backend-parts.js'
import type { RepairContext } from './types.js'
import { gitFacts, worktreePresent } from './worktree-parts.js'

/** The lastError message repair leaves on a workspace whose destroy it could not finish; recognised on the next run. */
export const KEPT_BY_DESTROY = 'A destroy was interrupted and the worktree has uncommitted changes'

function listFiles(files: string[]): string {
  return files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '')
}

/**
 * A create killed half-way (`pending`) is rolled back: not all of the create's inputs (`--port` requests, env, the
 * snapshot) are in the record, so finishing it could make a workspace other than the one asked for, while rolling back
 * lets the same `create` simply be run again. The exception is a worktree that already holds uncommitted work:
 * that create is finished instead, so the work stays in a usable workspace.
 */
export async function repairPending(
  ctx: RepairContext,
  provider: Provider,
  workspace: Workspace,
): Promise<void> {
  const facts = await gitFacts(workspace)
  const subject = workspace.name
  if (facts.dirty.length > 0) {
    await act(
      ctx,
      {
        subject,
        problem: `A create was interrupted, but its worktree already has uncommitted changes (${listFiles(facts.dirty)}).`,
        action: `Finish the create on ${provider.name}, keeping the worktree.`,
      },
      async () => {
        const created = await recreateOnBackend(ctx.deps, provider, workspace)
        await transition(ctx.deps, created, 'stopped')
      },
    )
    return
  }
  await act(
    ctx,
    {
      subject,
      problem: 'A create was interrupted before it finished (the workspace is still pending).',
      action: `Roll it back: remove what it made on ${provider.name}, its worktree and branch, and release ports ${workspace.portBlockStart}–${workspace.portBlockStart + 9}.`,
    },
    async () => {
      await provider.destroy(workspace)
      await removeWorktree({ repoRoot: workspace.repoRoot, name: workspace.name, force: false })
      await ctx.deps.state.remove(workspace.id)
    },
  )
}

/**
 * A destroy killed half-way (`destroying`) is finished, except that repair never deletes user files: when the
 * worktree has uncommitted changes, the backend is still removed but the worktree, the branch and the record
 * (now in `error`, saying why) stay, for the user to commit the work or destroy with --force.
 */
export async function repairDestroying(
  ctx: RepairContext,
  provider: Provider,
  workspace: Workspace,
): Promise<void> {
  const facts = await gitFacts(workspace)
  if (facts.dirty.length > 0) {
    await keepDirty(ctx, provider, workspace, facts.dirty)
    return
  }
  await finishDestroy(ctx, provider, workspace, 'A destroy was interrupted before it finished.')
}

async function keepDirty(
  ctx: RepairContext,
  provider: Provider,
  workspace: Workspace,
  dirty: string[],
): Promise<void> {
  const finding = {
    subject: workspace.name,
    problem: `${KEPT_BY_DESTROY} (${listFiles(dirty)}).`,
    action: `Removed it from ${provider.name}; kept the worktree ${workspace.worktreePath}, its branch and its record.`,
  }
  const next = `Commit or stash the changes in ${workspace.worktreePath}, then run \`nexus workspace destroy ${workspace.name}\`; or \`nexus workspace destroy ${workspace.name} --force\` to discard them.`
  if (workspace.status !== 'error') {
    if (ctx.dryRun) {
      ctx.actions.push({
        ...finding,
        action: `Remove it from ${provider.name}, keep the worktree, its branch and the record.`,
        outcome: 'planned',
      })
      return
    }
    try {
      await provider.destroy(workspace)
      await markError(ctx.deps, workspace, {
        code: 'UNCOMMITTED_CHANGES',
        message: `${KEPT_BY_DESTROY}.`,
        suggestion: next,
      })
    } catch (error) {
      ctx.actions.push(failure(finding, error))
      return
    }
  }
  keep(ctx, finding, 'UNCOMMITTED_CHANGES', next)
}

async function finishDestroy(
  ctx: RepairContext,
  provider: Provider,
  workspace: Workspace,
  problem: string,
): Promise<void> {
  await act(
    ctx,
    {
      subject: workspace.name,
      problem,
      action: `Finish it: remove it from ${provider.name}, remove its worktree (and its branch when its commits are on another branch), release ports ${workspace.portBlockStart}–${workspace.portBlockStart + 9}.`,
    },
    async () => {
      await provider.destroy(workspace)
      const removed =
        worktreePresent(workspace.worktreePath) || (await gitFacts(workspace)).branch
          ? await removeWorktree({ repoRoot: workspace.repoRoot, name: workspace.name, force: false })
          : { branchDeleted: false }
      await ctx.deps.state.remove(workspace.id)
      return removed.branchNote ? `Destroyed; ${removed.branchNote}` : undefined
    },
  )
}

/** A workspace an earlier repair left in `error` because of uncommitted work: finished once the work is committed. */
export async function repairKeptByDestroy(
  ctx: RepairContext,
  provider: Provider,
  workspace: Workspace,
): Promise<void> {
  const facts = await gitFacts(workspace)
  if (facts.dirty.length > 0) {
    await keepDirty(ctx, provider, workspace, facts.dirty)
    return
  }
  await finishDestroy(
    ctx,
    provider,
    workspace,
    'A destroy was interrupted; the uncommitted changes it waited on are gone now.',
  )
}

/** A record still in `destroyed` only holds its port block: remove what may be left and drop it. */
export async function repairDestroyed(
  ctx: RepairContext,
  provider: Provider,
  workspace: Workspace,
): Promise<void> {
  const facts = await gitFacts(workspace)
  if (facts.dirty.length > 0) return keepDirty(ctx, provider, workspace, facts.dirty)
  await finishDestroy(
    ctx,
    provider,
    workspace,
    `The record of a destroyed workspace still holds ports ${workspace.portBlockStart}–${workspace.portBlockStart + 9}.`,
  )
}
