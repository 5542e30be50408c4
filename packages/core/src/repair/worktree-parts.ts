import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { git } from '../worktree/git.js'
import { addWorktree, findRepository, uncommittedFiles } from '../worktree/index.js'
import type { Workspace } from '../workspace/index.js'

/** What git holds for a workspace: its worktree directory, its branch, and any work not yet committed there. */
export interface GitFacts {
  worktree: boolean
  branch: boolean
  dirty: string[]
}

export async function branchExists(repoRoot: string, branch: string): Promise<boolean> {
  const result = await git(repoRoot, ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], {
    allowFailure: true,
  })
  return result.exitCode === 0
}

/** A worktree counts when its directory is there with its `.git` link; an empty shell of a directory does not. */
export function worktreePresent(path: string): boolean {
  return existsSync(join(path, '.git'))
}

export async function gitFacts(workspace: Workspace): Promise<GitFacts> {
  const worktree = worktreePresent(workspace.worktreePath)
  const [branch, dirty] = await Promise.all([
    branchExists(workspace.repoRoot, workspace.branch),
    worktree ? uncommittedFiles(workspace.worktreePath) : Promise.resolve([]),
  ])
  return { worktree, branch, dirty }
}

/**
 * Puts a deleted worktree back on its branch (or, when the branch is gone too, on a new one from HEAD). git still
 * remembers the deleted directory as a worktree, and refuses to add it again until that metadata is pruned.
 */
export async function readdWorktree(workspace: Workspace): Promise<{ reusedBranch: boolean }> {
  const repo = await findRepository(workspace.repoRoot)
  await git(workspace.repoRoot, ['worktree', 'prune'])
  const added = await addWorktree({
    repoRoot: repo.repoRoot,
    gitCommonDir: repo.gitCommonDir,
    name: workspace.name,
  })
  return { reusedBranch: added.reusedBranch }
}

/**
 * The commit a worktree was last on when its branch was deleted under it: HEAD then points at a missing ref, but
 * the worktree's own HEAD reflog still names the commit. Falls back to the repository's HEAD.
 */
async function lastCommitOf(workspace: Workspace): Promise<string> {
  const gitDir = await git(workspace.worktreePath, ['rev-parse', '--git-dir'], { allowFailure: true })
  if (gitDir.exitCode === 0) {
    const dir = gitDir.stdout.trim()
    const log = await readFile(
      join(isAbsolute(dir) ? dir : join(workspace.worktreePath, dir), 'logs', 'HEAD'),
      'utf8',
    ).catch(() => '')
    const last = log.trim().split('\n').pop()?.split(' ')[1]
    if (last && /^[0-9a-f]{40,64}$/.test(last)) return last
  }
  return (await git(workspace.repoRoot, ['rev-parse', 'HEAD'])).stdout.trim()
}

/** Recreates a deleted branch at the commit its worktree was on; the worktree's files are not touched. */
export async function recreateBranch(workspace: Workspace): Promise<string> {
  const commit = await lastCommitOf(workspace)
  await git(workspace.repoRoot, ['update-ref', `refs/heads/${workspace.branch}`, commit, ''])
  return commit
}
