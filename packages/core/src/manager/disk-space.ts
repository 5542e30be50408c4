import { statfs } from 'node:fs/promises'
import { dirname } from 'node:path'
import { NexusError } from '../errors/index.js'

/** Below this, a create would likely fail half-way (checkout, image layers, build caches) and leave debris. */
export const MIN_FREE_BYTES = 1024 ** 3

/** Free bytes for an unprivileged writer on the filesystem holding `path` (or its nearest existing parent). */
export async function freeBytes(path: string): Promise<number> {
  let current = path
  for (;;) {
    try {
      const stats = await statfs(current)
      return stats.bavail * stats.bsize
    } catch (error) {
      const parent = dirname(current)
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error
      current = parent
    }
  }
}

function formatSize(bytes: number): string {
  const mib = bytes / 1024 ** 2
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${Math.floor(mib)} MiB`
}

/**
 * Refuses (RESOURCE_EXHAUSTED) to start a create when the repository's or NEXUS_HOME's filesystem is nearly full,
 * before anything is written: failing up front is cheaper than undoing a worktree and a backend half-made.
 */
export async function assertFreeSpace(
  locations: Array<{ path: string; what: string }>,
  minBytes = MIN_FREE_BYTES,
): Promise<void> {
  for (const { path, what } of locations) {
    const free = await freeBytes(path).catch(() => undefined)
    // A filesystem that cannot report its free space is not a reason to refuse.
    if (free === undefined || free >= minBytes) continue
    throw new NexusError(
      'RESOURCE_EXHAUSTED',
      `Only ${formatSize(free)} is free on the disk holding ${what} (${path}); a workspace needs at least ${formatSize(minBytes)}.`,
      {
        suggestion:
          'Free some space: destroy workspaces you no longer need (`nexus workspace ls`, `nexus workspace destroy <name>`), run `nexus workspace cleanup`, or prune Docker (`docker system prune`).',
        details: { path, freeBytes: free, requiredBytes: minBytes },
      },
    )
  }
}
