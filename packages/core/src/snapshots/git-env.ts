import { NexusError } from '../errors/index.js'
import { runProgram } from '../util/exec-file.js'

/**
 * The identity on the commits that hold snapshots. They are nexus's own bookkeeping, never on a branch, so they
 * must not depend on (or fail for lack of) the user's git identity.
 */
const SNAPSHOT_IDENTITY = {
  GIT_AUTHOR_NAME: 'nexus',
  GIT_AUTHOR_EMAIL: 'nexus@localhost',
  GIT_COMMITTER_NAME: 'nexus',
  GIT_COMMITTER_EMAIL: 'nexus@localhost',
}

/**
 * Runs git with extra environment (a scratch index, the snapshot identity); core's plain `git()` helper takes
 * none. A failure becomes GIT_ERROR with git's own last line of complaint.
 */
export async function gitWith(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  options: { allowFailure?: boolean } = {},
): Promise<{ stdout: string; exitCode: number }> {
  let result: Awaited<ReturnType<typeof runProgram>>
  try {
    result = await runProgram('git', ['-C', cwd, ...args], {
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...SNAPSHOT_IDENTITY, ...env },
    })
  } catch (error) {
    throw new NexusError('GIT_ERROR', 'git could not be run.', {
      suggestion: 'Install git and make sure it is on PATH (`git --version`).',
      cause: error,
    })
  }
  if (result.exitCode !== 0 && !options.allowFailure) {
    const reason = (result.stderr.trim().split('\n').pop() ?? '').replace(/^(fatal|error): /, '')
    throw new NexusError(
      'GIT_ERROR',
      `git ${args[0] ?? ''} failed in ${cwd}: ${reason || `exit ${result.exitCode}`}.`,
      {
        suggestion: `Run \`git -C ${cwd} status\` to see the state of the worktree, then retry.`,
      },
    )
  }
  return { stdout: result.stdout, exitCode: result.exitCode }
}

export async function gitLine(cwd: string, args: string[], env?: Record<string, string>): Promise<string> {
  return (await gitWith(cwd, args, env)).stdout.trim()
}
