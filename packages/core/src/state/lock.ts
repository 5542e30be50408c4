import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { NexusError } from '../errors/index.js'

export interface LockOptions {
  /** How long to wait for another process to release the lock. */
  waitMs?: number
  /** What the lock protects, for the error message. */
  what?: string
}

/**
 * Runs `fn` holding an inter-process lock. proper-lockfile's mkdir-based locks work across processes, refresh while
 * held, and are considered stale (and taken over) when their holder died without releasing them — so a kill -9
 * never leaves a workspace locked for good.
 */
export async function withLock<T>(
  locksDir: string,
  key: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  await mkdir(locksDir, { recursive: true })
  const target = join(locksDir, key)
  const waitMs = options.waitMs ?? 30_000
  const minTimeout = 15
  const maxTimeout = 150
  let release: () => Promise<void>
  try {
    // Imported on first use: listing and reading workspaces never lock, and startup time matters.
    const { default: lockfile } = await import('proper-lockfile')
    release = await lockfile.lock(target, {
      realpath: false,
      stale: 10_000,
      update: 2_000,
      retries: {
        retries: Math.ceil(waitMs / maxTimeout) + 5,
        minTimeout,
        maxTimeout,
        factor: 1.3,
        randomize: true,
      },
    })
  } catch (error) {
    throw new NexusError(
      'WORKSPACE_BUSY',
      `${options.what ?? 'This workspace'} is locked by another nexus command.`,
      {
        suggestion: 'Wait for the other command to finish, then try again.',
        cause: error,
      },
    )
  }
  try {
    return await fn()
  } finally {
    await release().catch(() => undefined)
  }
}
