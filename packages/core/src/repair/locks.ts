import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/** proper-lockfile's settings in state/lock.ts: a holder refreshes its lock every 2 s; after 10 s untouched it is dead. */
export const LOCK_STALE_MS = 10_000
const POLL_MS = 250

export interface LockFinding {
  /** The lock directory. */
  path: string
  /** What it protects (`ws-<repo>-<name>`, `ports`, …). */
  key: string
  ageMs: number
}

async function ageOf(path: string): Promise<number | undefined> {
  const info = await stat(path).catch(() => undefined)
  return info ? Date.now() - info.mtimeMs : undefined
}

/**
 * Locks whose holder is dead. A lock untouched for the stale time is dead; a younger one is watched for up to
 * `waitMs`: its holder refreshes it if alive, and a lock that ages past the stale time meanwhile was left by a killed
 * command. Released locks and live ones are not returned.
 */
export async function staleLocks(locksDir: string, waitMs = 0): Promise<LockFinding[]> {
  const names = await readdir(locksDir).catch(() => [] as string[])
  const found = await Promise.all(
    names
      .filter((name) => name.endsWith('.lock'))
      .map(async (name): Promise<LockFinding | undefined> => {
        const path = join(locksDir, name)
        const key = name.slice(0, -'.lock'.length)
        const first = await stat(path).catch(() => undefined)
        if (!first) return undefined
        const deadline = Date.now() + waitMs
        for (;;) {
          const age = await ageOf(path)
          if (age === undefined) return undefined
          if (age > LOCK_STALE_MS) return { path, key, ageMs: Math.round(age) }
          const now = await stat(path).catch(() => undefined)
          if (now && now.mtimeMs !== first.mtimeMs) return undefined
          if (Date.now() >= deadline) return undefined
          await sleep(POLL_MS)
        }
      }),
  )
  return found.filter((lock): lock is LockFinding => lock !== undefined)
}

/**
 * Removes a dead lock through proper-lockfile itself, which takes a stale lock over atomically: removing the
 * directory by hand could delete a lock another command took over a moment before.
 */
export async function removeStaleLock(locksDir: string, key: string): Promise<boolean> {
  const { default: lockfile } = await import('proper-lockfile')
  try {
    const release = await lockfile.lock(join(locksDir, key), {
      stale: LOCK_STALE_MS,
      realpath: false,
      retries: 0,
    })
    await release()
    return true
  } catch {
    return false
  }
}
