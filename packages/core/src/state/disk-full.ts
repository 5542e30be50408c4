import { describeError, NexusError } from '../errors/index.js'

const DISK_FULL = new Set(['ENOSPC', 'EDQUOT'])

/** The coded error for a write that failed because the disk (or the user's quota) is full; undefined otherwise. */
export function diskFullError(error: unknown, dir: string, what: string): NexusError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === undefined || !DISK_FULL.has(code)) return undefined
  return new NexusError(
    'RESOURCE_EXHAUSTED',
    `The disk holding ${dir} is full, so ${what} could not be saved; what was saved before is unchanged.`,
    {
      suggestion:
        'Free some space on it (destroy workspaces you no longer need, `nexus workspace cleanup`, `docker system prune`), then run the command again.',
      cause: error,
      details: { dir, errno: code, reason: describeError(error) },
    },
  )
}
