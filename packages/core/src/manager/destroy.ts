import type { DestroyOptions, DestroyResult } from '../app/types.js'
import { assertNoUncommittedChanges, removeWorktree } from '../worktree/index.js'
import type { Workspace } from '../workspace/index.js'
import type { ManagerDeps } from './deps.js'
import { withWorkspace } from './lifecycle.js'
import { markError, transition } from './records.js'
import { wrapBackendError } from './create.js'
import { assertNoSnapshots, removeAllSnapshots } from './snapshots.js'

/**
 * destroy: refuse on uncommitted work or snapshots (before touching anything; `--with-snapshots` deletes them) → destroying → backend → worktree and branch →
 * record gone. The port block is released with the record. A backend failure leaves the record in `error` with
 * the worktree untouched, so nothing of the user's is lost and `destroy` can simply be run again.
 */
export async function destroyWorkspace(
  deps: ManagerDeps,
  target: Workspace,
  options: DestroyOptions,
): Promise<DestroyResult> {
  const provider = await deps.registry.get(target.backend)
  return withWorkspace(deps, target, async (workspace) => {
    if (!options.force) await assertNoUncommittedChanges(workspace.worktreePath, workspace.name)
    if (options.withSnapshots) await removeAllSnapshots(deps, provider, workspace)
    else await assertNoSnapshots(deps, workspace)
    let current = workspace
    if (current.status === 'pending')
      current = await markError(deps, current, { code: 'INTERNAL', message: 'create did not finish' })
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
    return {
      workspace: { ...current, status: 'destroyed' },
      branchDeleted: removed.branchDeleted,
      ...(removed.branchNote ? { branchNote: removed.branchNote } : {}),
    }
  })
}
