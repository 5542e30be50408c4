import { NexusError } from '../errors/index.js'
import { systemClock, withRetry, type Clock } from '../util/retry.js'

/** Runs a command where the clone should happen (inside a container, sandbox or VM) and reports how it ended. */
export type CommandRunner = (argv: string[]) => Promise<{ exitCode: number; output: string }>

export interface CloneRequest {
  url: string
  /** Branch to check out; the remote's default branch when absent. */
  branch?: string
  /** Directory to clone into; it must not exist or be empty. */
  directory: string
  /** Total tries, the first included (default 3): networks to git hosts fail transiently. */
  attempts?: number
  clock?: Clock
}

class CloneAttemptFailed extends Error {
  constructor(readonly output: string) {
    super(output)
  }
}

/**
 * Clones a repository with `git clone` through `run`, retrying with backoff, because a remote backend's first
 * network call often races its DNS or proxy coming up. After the last attempt the error quotes git's own words.
 */
export async function cloneWithRetry(run: CommandRunner, request: CloneRequest): Promise<void> {
  const argv = [
    'git',
    'clone',
    ...(request.branch ? ['--branch', request.branch] : []),
    '--',
    request.url,
    '.',
  ]
  const attempts = request.attempts ?? 3
  try {
    await withRetry(
      async () => {
        // A failed attempt may leave a partial checkout behind; clone again into an emptied directory.
        const script = `mkdir -p ${quote(request.directory)} && cd ${quote(request.directory)} && find . -mindepth 1 -delete && ${argv.map(quote).join(' ')}`
        const result = await run(['sh', '-c', script])
        if (result.exitCode !== 0) throw new CloneAttemptFailed(result.output)
      },
      {
        attempts,
        initialDelayMs: 1000,
        maxDelayMs: 4000,
        isRetryable: (error) => error instanceof CloneAttemptFailed,
        clock: request.clock ?? systemClock,
      },
    )
  } catch (error) {
    if (!(error instanceof CloneAttemptFailed)) throw error
    const reason = gitReason(error.output)
    throw new NexusError('GIT_ERROR', `Cloning ${request.url} failed ${attempts} times: ${reason}`, {
      suggestion: `Check the URL${request.branch ? ` and that branch "${request.branch}" exists` : ''}, and that the backend can reach the git host; then run the create again.`,
      details: { url: request.url, branch: request.branch ?? null, attempts },
    })
  }
}

/**
 * git's own reason: its first `fatal:` line, since what follows it is boilerplate ("Please make sure you have the
 * correct access rights and the repository exists."); else the last line it printed.
 */
function gitReason(output: string): string {
  const lines = output
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
  const fatal = lines.find((line) => line.startsWith('fatal:'))
  if (fatal) return fatal.slice('fatal:'.length).trim()
  return lines.at(-1) ?? 'git gave no reason'
}

function quote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`
}
