import type { CreateOptions } from '../app/types.js'
import { NexusError } from '../errors/index.js'
import {
  addWorktree,
  removeWorktree,
  type AddedWorktree,
  type LeftoverChoice,
  type Repository,
} from '../worktree/index.js'
import type { ManagerDeps } from './deps.js'
import { applySnapshotToWorktree, type SnapshotSource } from './snapshot-source.js'

/** What `create` takes beyond the shared CreateOptions: the choices about a worktree left behind. */
export interface CreateWorkspaceOptions extends CreateOptions {
  /** What to do when `.nexus/worktrees/<name>` already exists (`--reuse-worktree` / `--recreate-worktree`). */
  leftoverWorktree?: LeftoverChoice
  /** With `leftoverWorktree: 'recreate'`: discard uncommitted files in the old directory. */
  force?: boolean
}

/**
 * The worktree step of create: adds (or reuses) the worktree, puts a snapshot's files in it, and tells the user
 * what git did on their behalf — a reused branch, a detached HEAD branched from, submodules or LFS left undone.
 */
export async function prepareWorktree(
  deps: ManagerDeps,
  repo: Repository,
  options: CreateWorkspaceOptions,
  source: SnapshotSource | undefined,
): Promise<AddedWorktree> {
  if (source && options.leftoverWorktree === 'reuse') {
    throw new NexusError('INVALID_ARGUMENT', '--reuse-worktree cannot be combined with --from-snapshot.', {
      suggestion:
        'Use --recreate-worktree to start the worktree over from the snapshot, or drop --from-snapshot.',
    })
  }
  const step = deps.reporter.step(`Creating worktree for ${options.name}`)
  const fromRef = source?.snapshot.worktree.head ?? options.fromBranch
  let added: AddedWorktree
  try {
    added = await addWorktree({
      repoRoot: repo.repoRoot,
      gitCommonDir: repo.gitCommonDir,
      name: options.name,
      ...(fromRef ? { fromRef } : {}),
      ...(options.leftoverWorktree ? { leftover: options.leftoverWorktree } : {}),
      ...(options.force ? { force: true } : {}),
    })
  } catch (error) {
    step('failed')
    throw error
  }
  // The snapshot's files are in place before the backend first sees the worktree.
  if (source) {
    await applySnapshotToWorktree(repo, options.name, source).catch(async (error: unknown) => {
      step('failed')
      await undoWorktree(repo, options.name, added)
      throw error
    })
  }
  step('done', added.reusedWorktree ? 'reused the existing worktree' : undefined)
  reportWorktree(deps, added, options)
  return added
}

function reportWorktree(deps: ManagerDeps, added: AddedWorktree, options: CreateOptions): void {
  if (added.reusedWorktree) {
    deps.reporter.info(`Reusing the existing worktree ${added.path} as it is, on ${added.branch}.`)
  } else if (added.reusedBranch) {
    const ignored = options.fromBranch ? ` (--from-branch ${options.fromBranch} does not apply to it)` : ''
    const message = `Branch ${added.branch} already exists: the workspace reuses it with its commits${ignored}.`
    if (options.fromBranch) deps.reporter.warn(message)
    else deps.reporter.info(message)
  }
  if (added.detachedHead) {
    deps.reporter.warn(
      `The repository is on a detached HEAD (${added.detachedHead}): branch ${added.branch} starts from that commit.`,
    )
  }
  for (const warning of added.warnings) deps.reporter.warn(warning)
}

/** Removes a worktree this create made; one it found and reused holds the user's work, so it stays. */
export async function undoWorktree(repo: Repository, name: string, added: AddedWorktree): Promise<void> {
  if (added.reusedWorktree) return
  await removeWorktree({
    repoRoot: repo.repoRoot,
    name,
    force: true,
    keepBranch: added.reusedBranch,
  }).catch(() => undefined)
}
