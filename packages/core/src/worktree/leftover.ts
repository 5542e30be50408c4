import { readdir, rm } from 'node:fs/promises'
import { NexusError } from '../errors/index.js'
import { git } from './git.js'

/** What to do with a worktree directory an earlier workspace of the same name left behind. */
export type LeftoverChoice = 'reuse' | 'recreate'

/** A leftover is either a worktree git still knows (with the branch it has checked out), or just a directory. */
type Leftover = { kind: 'worktree'; branch: string | null } | { kind: 'directory' }

const SHOWN_FILES = 5

async function inspectLeftover(repoRoot: string, path: string): Promise<Leftover> {
  const listed = await git(repoRoot, ['worktree', 'list', '--porcelain'])
  let current: string | null = null
  for (const line of listed.stdout.split('\n')) {
    if (line.startsWith('worktree ')) current = line.slice('worktree '.length)
    else if (current === path && line.startsWith('branch refs/heads/'))
      return { kind: 'worktree', branch: line.slice('branch refs/heads/'.length) }
    else if (current === path && line === 'detached') return { kind: 'worktree', branch: null }
  }
  return { kind: 'directory' }
}

/** Files a plain directory holds: all of them are the user's, since git knows none of them. */
async function filesIn(path: string): Promise<string[]> {
  const entries = await readdir(path, { recursive: true, withFileTypes: true })
  return entries.filter((entry) => !entry.isDirectory()).map((entry) => entry.name)
}

async function uncommittedIn(path: string): Promise<string[]> {
  const result = await git(path, ['status', '--porcelain', '--untracked-files=all'])
  return result.stdout
    .split('\n')
    .filter((line) => line.length > 3)
    .map((line) => line.slice(3))
}

function listFiles(files: string[]): string {
  const shown = files.slice(0, SHOWN_FILES).join(', ')
  return files.length > SHOWN_FILES ? `${shown}, and ${files.length - SHOWN_FILES} more` : shown
}

/**
 * Deals with `<repo>/.nexus/worktrees/<name>` existing before the workspace does (state lost, a create killed
 * half-way, a directory made by hand). Nothing is decided for the user: without a choice it is a coded error naming
 * both; `reuse` keeps working in it; `recreate` replaces it, but never discards files the user has not committed
 * unless `force`. Returns true when the directory is to be used as it is.
 */
export async function resolveLeftover(input: {
  repoRoot: string
  path: string
  branch: string
  name: string
  choice?: LeftoverChoice
  force?: boolean
}): Promise<boolean> {
  const { path, branch, name } = input
  const leftover = await inspectLeftover(input.repoRoot, path)
  const what = leftover.kind === 'worktree' ? 'a git worktree' : 'a directory git does not know'
  if (!input.choice) {
    throw new NexusError(
      'GIT_ERROR',
      `${path} already exists (${what}), left behind by an earlier workspace "${name}".`,
      {
        suggestion: `Run \`nexus workspace create ${name} --reuse-worktree\` to keep working in it, or \`--recreate-worktree\` to replace it with a fresh checkout (add --force to discard files in it that are not committed).`,
        details: { path, kind: leftover.kind, choices: ['--reuse-worktree', '--recreate-worktree'] },
      },
    )
  }
  if (input.choice === 'reuse') {
    if (leftover.kind !== 'worktree') {
      throw new NexusError(
        'GIT_ERROR',
        `${path} is not a git worktree of this repository, so it cannot be reused.`,
        {
          suggestion: `Run \`nexus workspace create ${name} --recreate-worktree\` to replace it (add --force to discard the files in it).`,
          details: { path },
        },
      )
    }
    if (leftover.branch !== branch) {
      throw new NexusError(
        'GIT_ERROR',
        `${path} has ${leftover.branch ?? 'a detached HEAD'} checked out, not ${branch}.`,
        {
          suggestion: `Check out ${branch} in it (\`git -C ${path} switch ${branch}\`) and retry, or use --recreate-worktree.`,
          details: { path, branch: leftover.branch },
        },
      )
    }
    return true
  }
  const unsaved = leftover.kind === 'worktree' ? await uncommittedIn(path) : await filesIn(path)
  if (unsaved.length > 0 && !input.force) {
    throw new NexusError(
      'UNCOMMITTED_CHANGES',
      `${path} holds files that are not committed: ${listFiles(unsaved)}; recreating it would lose them.`,
      {
        suggestion: `Commit or move them, keep working in it with --reuse-worktree, or add --force to discard them.`,
        details: { path, files: unsaved },
      },
    )
  }
  if (leftover.kind === 'worktree') await git(input.repoRoot, ['worktree', 'remove', '--force', path])
  else await rm(path, { recursive: true, force: true })
  return false
}
