import { existsSync } from 'node:fs'
import { appendFile, mkdir, readFile, realpath } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { NexusError } from '../errors/index.js'
import { completeCheckout } from './checkout-extras.js'
import { git } from './git.js'
import { resolveLeftover, type LeftoverChoice } from './leftover.js'

export const WORKTREES_DIR = '.nexus/worktrees'

export function worktreePath(repoRoot: string, name: string): string {
  return join(repoRoot, WORKTREES_DIR, name)
}

export function branchName(name: string): string {
  return `nexus/${name}`
}

async function branchExists(repoRoot: string, branch: string): Promise<boolean> {
  const result = await git(repoRoot, ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], {
    allowFailure: true,
  })
  return result.exitCode === 0
}

/** Keeps `.nexus/` out of `git status` without touching the user's tracked .gitignore. */
export async function ensureExcluded(gitCommonDir: string): Promise<void> {
  const exclude = join(gitCommonDir, 'info', 'exclude')
  const current = await readFile(exclude, 'utf8').catch(() => '')
  if (current.split('\n').some((line) => line.trim() === '.nexus/' || line.trim() === '/.nexus/')) return
  await mkdir(join(gitCommonDir, 'info'), { recursive: true })
  await appendFile(
    exclude,
    `${current.endsWith('\n') || current === '' ? '' : '\n'}# nexus workspaces\n/.nexus/\n`,
  )
}

export interface AddedWorktree {
  path: string
  branch: string
  reusedBranch: boolean
  /** The directory was already there and is used as it was (`reuse`): undoing the create must leave it alone. */
  reusedWorktree: boolean
  /** The short commit the repository's detached HEAD was on, when the new branch was made from it. */
  detachedHead?: string
  /** Submodules or LFS files that could not be set up, with what to run. */
  warnings: string[]
}

export interface AddWorktreeInput {
  repoRoot: string
  gitCommonDir: string
  name: string
  fromRef?: string
  /** What to do when the worktree directory already exists; without it, that is an error naming both choices. */
  leftover?: LeftoverChoice
  /** With `leftover: 'recreate'`: discard uncommitted files in the old directory. */
  force?: boolean
}

/**
 * Adds `<repo>/.nexus/worktrees/<name>` on branch `nexus/<name>`: the branch is reused when it exists (its work is
 * not thrown away), otherwise made from `fromRef` or the current HEAD. Submodules are initialised and LFS files
 * checked out, as a clone would.
 */
export async function addWorktree(input: AddWorktreeInput): Promise<AddedWorktree> {
  const path = worktreePath(input.repoRoot, input.name)
  const branch = branchName(input.name)
  await assertWorktreesInsideRepo(input.repoRoot)
  await ensureExcluded(input.gitCommonDir)
  // A worktree directory deleted by hand stays registered, and git then refuses to add one at its path.
  await git(input.repoRoot, ['worktree', 'prune'], { allowFailure: true })
  if (existsSync(path)) {
    const reuse = await resolveLeftover({
      repoRoot: input.repoRoot,
      path,
      branch,
      name: input.name,
      ...(input.leftover ? { choice: input.leftover } : {}),
      ...(input.force ? { force: true } : {}),
    })
    if (reuse) return { path, branch, reusedBranch: true, reusedWorktree: true, warnings: [] }
  }
  const head = await git(input.repoRoot, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], {
    allowFailure: true,
  })
  const reusedBranch = await branchExists(input.repoRoot, branch)
  if (!reusedBranch && head.exitCode !== 0 && !input.fromRef) {
    throw new NexusError(
      'GIT_ERROR',
      'The repository has no commits yet, so there is nothing to branch from.',
      {
        suggestion: 'Make a first commit (`git commit --allow-empty -m init`), then create the workspace.',
      },
    )
  }
  let detachedHead: string | undefined
  if (reusedBranch) {
    await git(input.repoRoot, ['worktree', 'add', path, branch])
  } else {
    if (input.fromRef) await assertCommitExists(input.repoRoot, input.fromRef)
    else detachedHead = await detachedHeadCommit(input.repoRoot)
    await git(input.repoRoot, ['worktree', 'add', '-b', branch, path, input.fromRef ?? 'HEAD'])
  }
  const warnings = await completeCheckout(input.repoRoot, path)
  return {
    path,
    branch,
    reusedBranch,
    reusedWorktree: false,
    ...(detachedHead ? { detachedHead } : {}),
    warnings,
  }
}

/**
 * A symlinked `.nexus` or `.nexus/worktrees` would put workspaces (and later `destroy`'s deletions) outside the
 * repository, wherever the link points: refuse instead of following it.
 */
async function assertWorktreesInsideRepo(repoRoot: string): Promise<void> {
  const dir = join(repoRoot, WORKTREES_DIR)
  if (!existsSync(dir)) {
    if (!existsSync(join(repoRoot, '.nexus'))) return
    await assertInside(repoRoot, join(repoRoot, '.nexus'))
    return
  }
  await assertInside(repoRoot, dir)
}

async function assertInside(repoRoot: string, dir: string): Promise<void> {
  const [root, real] = await Promise.all([realpath(repoRoot), realpath(dir)])
  const path = relative(root, real)
  if (path !== '' && !path.startsWith(`..${sep}`) && path !== '..') return
  throw new NexusError('PERMISSION_DENIED', `${dir} leads outside the repository, to ${real}.`, {
    suggestion: `Remove the link (\`rm ${dir}\`) so nexus can keep workspaces inside the repository, then run the command again.`,
    details: { path: dir, target: real },
  })
}

async function assertCommitExists(repoRoot: string, ref: string): Promise<void> {
  const found = await git(repoRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    allowFailure: true,
  })
  if (found.exitCode !== 0) {
    throw new NexusError('GIT_ERROR', `"${ref}" is not a branch, tag or commit in this repository.`, {
      suggestion: 'List branches with `git branch -a`, then pass one with --from-branch.',
    })
  }
}

/** The short commit when the main working tree is on a detached HEAD, else undefined. */
async function detachedHeadCommit(repoRoot: string): Promise<string | undefined> {
  const symbolic = await git(repoRoot, ['symbolic-ref', '--quiet', 'HEAD'], { allowFailure: true })
  if (symbolic.exitCode === 0) return undefined
  return (await git(repoRoot, ['rev-parse', '--short', 'HEAD'])).stdout.trim()
}

/** Files with uncommitted changes (tracked or untracked, not ignored). */
export async function uncommittedFiles(path: string): Promise<string[]> {
  if (!existsSync(path)) return []
  const result = await git(path, ['status', '--porcelain', '--untracked-files=all'])
  return result.stdout
    .split('\n')
    .filter((line) => line.length > 3)
    .map((line) => line.slice(3))
}

/** Refuses (UNCOMMITTED_CHANGES) when the worktree holds work that removing it would lose. */
export async function assertNoUncommittedChanges(path: string, workspaceName: string): Promise<void> {
  const dirty = await uncommittedFiles(path)
  if (dirty.length === 0) return
  const shown = dirty.slice(0, 5).join(', ') + (dirty.length > 5 ? `, and ${dirty.length - 5} more` : '')
  throw new NexusError(
    'UNCOMMITTED_CHANGES',
    `Workspace "${workspaceName}" has uncommitted changes: ${shown}.`,
    {
      suggestion: `Commit or stash them in ${path}, or run \`nexus workspace destroy ${workspaceName} --force\` to discard them.`,
      details: { files: dirty },
    },
  )
}

export interface RemovedWorktree {
  branchDeleted: boolean
  branchNote?: string
}

/**
 * Removes a workspace's worktree. Uncommitted work is never thrown away without `force`; the branch is deleted only
 * when another branch also holds its commits (else the work would be unreachable), unless `keepBranch`.
 */
export async function removeWorktree(input: {
  repoRoot: string
  name: string
  force?: boolean
  keepBranch?: boolean
}): Promise<RemovedWorktree> {
  const path = worktreePath(input.repoRoot, input.name)
  const branch = branchName(input.name)
  if (!input.force) await assertNoUncommittedChanges(path, input.name)
  if (existsSync(path)) {
    await git(input.repoRoot, ['worktree', 'remove', '--force', path])
  }
  await git(input.repoRoot, ['worktree', 'prune'], { allowFailure: true })
  if (input.keepBranch) return { branchDeleted: false, branchNote: `Branch ${branch} kept (--keep-branch).` }
  if (!(await branchExists(input.repoRoot, branch))) return { branchDeleted: false }
  const containing = await git(input.repoRoot, [
    'for-each-ref',
    '--format=%(refname:short)',
    '--contains',
    branch,
    'refs/heads/',
  ])
  const others = containing.stdout.split('\n').filter((b) => b.length > 0 && b !== branch)
  if (others.length === 0) {
    return {
      branchDeleted: false,
      branchNote: `Branch ${branch} kept: it has commits that are on no other branch (merge it, or \`git branch -D ${branch}\`).`,
    }
  }
  await git(input.repoRoot, ['branch', '-D', branch])
  return { branchDeleted: true }
}
