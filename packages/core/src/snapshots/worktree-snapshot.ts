import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gitLine, gitWith } from './git-env.js'

/**
 * A worktree captured in git objects: nothing is copied, unchanged files cost nothing, and restoring is a checkout.
 * The commit has the shape of a `git stash` entry (parents HEAD and the index) and is kept alive by `ref`.
 */
export interface WorktreeSnapshot {
  /** The commit HEAD was at; restore puts the branch back on it. */
  head: string
  /** Every non-ignored file (tracked and untracked) as it was on disk. */
  tree: string
  /** The staging area as it was, so that what was staged is staged again. */
  indexTree: string
  /** The commit holding `tree`, with parents `head` and the index. */
  commit: string
  /** `refs/nexus/snapshots/<workspace id>/<snapshot>` (shared by all worktrees of the repository). */
  ref: string
  /** Files that differ from `head`, and their bytes: what the snapshot holds beyond the commit. */
  changedFiles: number
  changedBytes: number
}

export function snapshotRef(workspaceId: string, snapshot: string): string {
  return `refs/nexus/snapshots/${workspaceId}/${snapshot}`
}

/**
 * Captures the worktree without touching it or its index: the index is copied to a scratch file, `git add --all`
 * runs against the copy (so .gitignore is honoured and ignored files stay out), and the result is written as trees.
 */
export async function captureWorktree(
  worktreePath: string,
  ref: string,
  message: string,
): Promise<WorktreeSnapshot> {
  const head = await gitLine(worktreePath, ['rev-parse', '--verify', 'HEAD^{commit}'])
  const realIndex = await gitLine(worktreePath, [
    'rev-parse',
    '--path-format=absolute',
    '--git-path',
    'index',
  ])
  const scratch = await mkdtemp(join(tmpdir(), 'nexus-snapshot-'))
  const index = { GIT_INDEX_FILE: join(scratch, 'index') }
  try {
    // A copy keeps the index's stat cache, so `add --all` only hashes files that really changed.
    const copied = await copyFile(realIndex, index.GIT_INDEX_FILE).then(
      () => true,
      () => false,
    )
    if (!copied) await gitWith(worktreePath, ['read-tree', head], index)
    // An index in the middle of a merge has no tree of its own; then the staging area is taken to be HEAD.
    const staged = await gitWith(worktreePath, ['write-tree'], index, { allowFailure: true })
    const indexTree =
      staged.exitCode === 0
        ? staged.stdout.trim()
        : await gitLine(worktreePath, ['rev-parse', `${head}^{tree}`])
    await gitWith(worktreePath, ['add', '--all'], index)
    const tree = await gitLine(worktreePath, ['write-tree'], index)
    const indexCommit = await gitLine(worktreePath, [
      'commit-tree',
      indexTree,
      '-p',
      head,
      '-m',
      `index of ${message}`,
    ])
    const commit = await gitLine(worktreePath, [
      'commit-tree',
      tree,
      '-p',
      head,
      '-p',
      indexCommit,
      '-m',
      message,
    ])
    await gitWith(worktreePath, ['update-ref', ref, commit])
    return { head, tree, indexTree, commit, ref, ...(await changesFrom(worktreePath, head, tree)) }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/** Files of `tree` that `head` lacks or holds differently, with their sizes. */
async function changesFrom(
  cwd: string,
  head: string,
  tree: string,
): Promise<{ changedFiles: number; changedBytes: number }> {
  const [before, after] = await Promise.all([
    gitWith(cwd, ['ls-tree', '-r', '-z', head]),
    gitWith(cwd, ['ls-tree', '-r', '-l', '-z', tree]),
  ])
  // `<mode> <type> <object>[ <size>]\t<path>`: the object id and path identify a file's content at a place.
  const known = new Set(before.stdout.split('\0').map((entry) => entry.replace(/^\S+ \S+ (\S+)\t/, '$1\t')))
  let changedFiles = 0
  let changedBytes = 0
  for (const entry of after.stdout.split('\0')) {
    const match = /^\S+ \S+ (\S+) +(\d+|-)\t(.*)$/s.exec(entry)
    if (!match || known.has(`${match[1]}\t${match[3]}`)) continue
    changedFiles += 1
    changedBytes += match[2] === '-' ? 0 : Number(match[2])
  }
  return { changedFiles, changedBytes }
}

/**
 * Puts the worktree back exactly as captured: the branch on `head`, the files of `tree` (modified, deleted and
 * added ones alike), the staging area of `indexTree`. Untracked files that are not ignored are removed; ignored
 * files are never touched (they were never captured).
 */
export async function restoreWorktree(
  worktreePath: string,
  snapshot: Pick<WorktreeSnapshot, 'head' | 'tree' | 'indexTree'>,
): Promise<void> {
  await gitWith(worktreePath, ['reset', '--quiet', '--hard', snapshot.head])
  await gitWith(worktreePath, ['clean', '-d', '--force', '--quiet'])
  // With index and files clean at `head`, a two-tree read-tree is a plain checkout from `head` to `tree`.
  await gitWith(worktreePath, ['read-tree', '-m', '-u', snapshot.head, snapshot.tree])
  await gitWith(worktreePath, ['read-tree', snapshot.indexTree])
  // read-tree drops the stat cache; refreshing it keeps the next `git status` from hashing every file.
  await gitWith(worktreePath, ['update-index', '-q', '--refresh'], {}, { allowFailure: true })
}

/** Drops the ref; git's gc reclaims the objects that nothing else uses. Already gone is fine. */
export async function deleteWorktreeSnapshot(repoRoot: string, ref: string): Promise<void> {
  await gitWith(repoRoot, ['update-ref', '-d', ref], {}, { allowFailure: true })
}
