import { dirname } from 'node:path'
import { NexusError } from '../errors/index.js'
import { runProgram } from '../util/exec-file.js'

export interface Repository {
  /** The main working tree's top level, also when called from inside a nexus worktree. */
  repoRoot: string
  /** `<repo>/.git`: shared by every worktree; backends that mount a worktree must mount it too. */
  gitCommonDir: string
}

/** Finds the repository the cwd belongs to. */
export async function findRepository(cwd: string): Promise<Repository> {
  const result = await runProgram(
    'git',
    ['-C', cwd, 'rev-parse', '--path-format=absolute', '--git-common-dir'],
    {
      env: { ...process.env, LC_ALL: 'C' },
    },
  ).catch(() => undefined)
  if (!result || result.exitCode !== 0) {
    throw new NexusError('NOT_A_GIT_REPOSITORY', `${cwd} is not inside a git repository.`, {
      suggestion:
        'Run nexus from inside your project (`cd <repo>`), or start one with `git init && git commit --allow-empty -m init`.',
    })
  }
  const gitCommonDir = result.stdout.trim()
  if (!gitCommonDir.endsWith('/.git')) {
    throw new NexusError(
      'NOT_A_GIT_REPOSITORY',
      `${cwd} is in a bare repository (${gitCommonDir}); workspaces need a working tree.`,
      {
        suggestion: 'Clone it into a normal repository and run nexus there.',
      },
    )
  }
  return { repoRoot: dirname(gitCommonDir), gitCommonDir }
}
