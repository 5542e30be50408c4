import type { DestroyOptions, DestroyResult } from '../app/types.js'
import { describeError, NexusError } from '../errors/index.js'
import type { Provider } from '../provider/index.js'
import { liveSessions, removeSessions } from '../state/index.js'
import { assertNoUncommittedChanges, removeWorktree } from '../worktree/index.js'
import type { Workspace } from '../workspace/index.js'
import { managerConfig } from './config-view.js'
import type { ManagerDeps } from './deps.js'
import { withWorkspace } from './lifecycle.js'
import { markError, transition } from './records.js'
import { wrapBackendError } from './create.js'
import { assertNoSnapshots, removeAllSnapshots } from './snapshots.js'

/**
 * destroy: refuse on attached sessions, uncommitted work or snapshots (before touching anything; `--force` and
 * `--with-snapshots` override) → stop a running workspace → destroying → backend → worktree and branch → record
 * gone. The port block is released with the record. A backend failure leaves the record in `error` with the
 * worktree untouched, so nothing of the user's is lost and `destroy` can simply be run again.
 */
export async function destroyWorkspace(
  deps: ManagerDeps,
  target: Workspace,
  options: DestroyOptions,
): Promise<DestroyResult> {
  const provider = await deps.registry.get(target.backend)
  return withWorkspace(deps, target, async (workspace) => {
    if (!options.force) {
      await assertNoSessions(deps, workspace)
      await assertNoUncommittedChanges(workspace.worktreePath, workspace.name)
    }
    if (options.withSnapshots) await removeAllSnapshots(deps, provider, workspace)
    else await assertNoSnapshots(deps, workspace)
    let current = workspace
    if (current.status === 'pending')
      current = await markError(deps, current, { code: 'INTERNAL', message: 'create did not finish' })
    current = await stopBeforeDestroy(deps, provider, current)
    current = await transition(deps, current, 'destroying')
    const step = deps.reporter.step(`Removing ${current.name} from ${provider.name}`)
    try {
      await provider.destroy(current, { removeVolumes: options.removeVolumes ?? false })
      step('done')
    } catch (error) {
      step('failed')
      const wrapped = wrapBackendError(provider.name, 'destroy', current.name, error)
      await markError(deps, current, wrapped)
      throw wrapped
    }
    const removed = await removeWorktree({
      repoRoot: current.repoRoot,
      name: current.name,
      force: true,
      keepBranch: options.keepBranch ?? false,
    })
    await deps.state.remove(current.id)
    await removeSessions(deps.state.paths.root, current.id).catch(() => undefined)
    return {
      workspace: { ...current, status: 'destroyed' },
      branchDeleted: removed.branchDeleted,
      ...(removed.branchNote ? { branchNote: removed.branchNote } : {}),
    }
  })
}

/** A user typing in a shell in the workspace would lose it mid-sentence: destroying then needs --force. */
async function assertNoSessions(deps: ManagerDeps, workspace: Workspace): Promise<void> {
  const sessions = await liveSessions(deps.state.paths.root, workspace.id)
  if (sessions.length === 0) return
  const list = sessions.map((s) => `${s.kind}, pid ${s.pid}`).join('; ')
  throw new NexusError(
    'WORKSPACE_BUSY',
    `Workspace "${workspace.name}" has ${sessions.length} attached session(s) (${list}).`,
    {
      suggestion: `Exit the session(s) first, or run \`nexus workspace destroy ${workspace.name} --force\` to destroy it under them.`,
      details: { sessions: sessions.map((s) => ({ kind: s.kind, pid: s.pid, startedAt: s.startedAt })) },
    },
  )
}

/**
 * Stops a running (or paused) workspace the normal way first, so its processes get their grace period to save
 * their work instead of being killed by the removal. A stop that fails does not block the destroy: removal is
 * forceful anyway, and the user asked for the workspace to go.
 */
async function stopBeforeDestroy(
  deps: ManagerDeps,
  provider: Provider,
  workspace: Workspace,
): Promise<Workspace> {
  if (workspace.status !== 'running' && workspace.status !== 'paused') return workspace
  const step = deps.reporter.step(`Stopping ${workspace.name}`)
  try {
    let current = workspace
    if (current.status === 'paused') {
      await provider.resume(current)
      current = await transition(deps, current, 'running')
    }
    await provider.stop(current, { graceSeconds: managerConfig(deps.loaded).stopGraceSeconds })
    step('done')
    return await transition(deps, current, 'stopped')
  } catch (error) {
    step('failed')
    deps.reporter.warn(
      `Could not stop ${workspace.name} before destroying it (${describeError(error)}); removing it anyway.`,
    )
    return (await deps.state.get(workspace.id)) ?? workspace
  }
}
