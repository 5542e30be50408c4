import { NexusError } from '../errors/index.js'
import { runProgram, type RunResult } from '../util/exec-file.js'

/** Runs git without a shell; a failure becomes GIT_ERROR with git's own first line of complaint. */
export async function git(
  cwd: string,
  args: string[],
  options: { allowFailure?: boolean } = {},
): Promise<RunResult> {
  let result: RunResult
  try {
    result = await runProgram('git', ['-C', cwd, ...args], {
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    })
  } catch (error) {
    throw new NexusError('GIT_ERROR', 'git could not be run.', {
      suggestion: 'Install git and make sure it is on PATH (`git --version`).',
      cause: error,
    })
  }
  if (result.exitCode !== 0 && !options.allowFailure) {
    const reason = (result.stderr.trim().split('\n').pop() ?? '').replace(/^fatal: /, '')
    throw new NexusError(
      'GIT_ERROR',
      `git ${args[0] ?? ''} failed: ${reason || `exit ${result.exitCode}`}.`,
      {
        suggestion: `Run \`git -C ${cwd} ${args.join(' ')}\` to see the full message.`,
      },
    )
  }
  return result
}
