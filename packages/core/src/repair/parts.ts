import { transition } from '../manager/records.js'
import type { InspectResult, Provider } from '../provider/index.js'
import type { Workspace, WorkspaceStatus } from '../workspace/index.js'
import { act } from './act.js'
import { recreateOnBackend, restartOnBackend } from './backend-parts.js'
import type { RepairContext } from './types.js'
import { gitFacts, readdWorktree, recreateBranch } from './worktree-parts.js'

/**
 * Reconciles a settled workspace (stopped, running, paused or error) with what exists: the worktree, the branch and
 * the backend are each recreated from the record when missing, then the record's status is brought in line with
 * what the backend says. A workspace in `error` ends `stopped` once every part is there again.
 */
export async function repairParts(ctx: RepairContext, provider: Provider, record: Workspace): Promise<void> {
  let workspace = record
  const subject = workspace.name
  const facts = await gitFacts(workspace)
  let worktreeRecreated = false
  if (!facts.worktree) {
    worktreeRecreated = await act(
      ctx,
      {
        subject,
        problem: `Its worktree ${workspace.worktreePath} is gone${facts.branch ? '' : ', and so is its branch'}.`,
        action: facts.branch
          ? `Add the worktree back on branch ${workspace.branch}.`
          : `Make branch ${workspace.branch} again from HEAD (its commits are lost from git's view) and add the worktree on it.`,
      },
      async () => {
        await readdWorktree(workspace)
      },
    )
  } else if (!facts.branch) {
    await act(
      ctx,
      {
        subject,
        problem: `Its branch ${workspace.branch} is gone; the worktree is still there.`,
        action: `Make ${workspace.branch} again at the commit the worktree was on (no file is touched).`,
      },
      async () => `Made ${workspace.branch} again at ${(await recreateBranch(workspace)).slice(0, 12)}.`,
    )
  }

  const live = await provider.inspect(workspace)
  if (live.status === 'missing') {
    await act(
      ctx,
      {
        subject,
        problem: `${provider.name} holds nothing for it any more${live.detail ? ` (${live.detail})` : ''}.`,
        action: `Recreate it on ${provider.name} from the record${workspace.status === 'running' || workspace.status === 'paused' ? ' and start it' : ''}.`,
      },
      async () => {
        workspace = await recreateOnBackend(ctx.deps, provider, workspace)
      },
    )
  } else if (worktreeRecreated && (live.status === 'running' || live.status === 'paused')) {
    await act(
      ctx,
      {
        subject,
        problem: 'Its container still mounts the deleted worktree directory.',
        action: 'Restart it so that it mounts the worktree again.',
      },
      async () => {
        workspace = await restartOnBackend(
          ctx.deps,
          provider,
          workspace,
          live.status === 'paused' ? 'paused' : 'running',
        )
      },
    )
  } else {
    workspace = await syncStatus(ctx, workspace, live)
  }

  if (
    workspace.status === 'error' &&
    !ctx.dryRun &&
    ctx.actions.every((a) => a.subject !== subject || a.outcome === 'fixed')
  ) {
    const now = await provider.inspect(workspace)
    const settled = now.status === 'running' ? 'running' : now.status === 'paused' ? 'paused' : 'stopped'
    await act(
      ctx,
      {
        subject,
        problem: `It is in error${workspace.lastError ? `: ${workspace.lastError.message}` : ''}.`,
        action: `Every part of it is there again: record it ${settled}.`,
      },
      async () => {
        workspace = await moveTo(ctx, workspace, settled)
      },
    )
  }
}

/** Brings the record's status in line with the backend's, when they disagree (an engine restart, a manual stop, …). */
async function syncStatus(ctx: RepairContext, workspace: Workspace, live: InspectResult): Promise<Workspace> {
  const truth: WorkspaceStatus | undefined =
    live.status === 'running' || live.status === 'paused' || live.status === 'stopped'
      ? live.status
      : undefined
  if (!truth || truth === workspace.status || workspace.status === 'error') return workspace
  let result = workspace
  await act(
    ctx,
    {
      subject: workspace.name,
      problem: `Its record says ${workspace.status}, but ${workspace.backend} has it ${truth}.`,
      action: `Record it ${truth}${truth === 'stopped' ? ` (start it with \`nexus workspace start ${workspace.name}\`)` : ''}.`,
    },
    async () => {
      result = await moveTo(ctx, workspace, truth)
    },
  )
  return result
}

/** Walks the transition table to `to`: running is the hub between stopped and paused. */
async function moveTo(ctx: RepairContext, workspace: Workspace, to: WorkspaceStatus): Promise<Workspace> {
  let current = workspace
  if (current.status === 'error' && to !== 'stopped') current = await transition(ctx.deps, current, 'stopped')
  if (current.status === 'paused' && to === 'stopped')
    current = await transition(ctx.deps, current, 'running')
  if (current.status === 'stopped' && to === 'paused')
    current = await transition(ctx.deps, current, 'running')
  return transition(ctx.deps, current, to)
}
