import { isNexusError } from '../errors/index.js'
import type { DoctorCheck } from './types.js'

/** Runs one check so that whatever it throws becomes that check's failure instead of ending the whole report. */
export async function guarded(
  id: string,
  check: () => Promise<DoctorCheck | DoctorCheck[]>,
): Promise<DoctorCheck[]> {
  try {
    const result = await check()
    return Array.isArray(result) ? result : [result]
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
    const fix = isNexusError(error) ? error.suggestion : undefined
    return [
      {
        id,
        status: 'fail',
        message: `The ${id} check could not run: ${message}`,
        ...(fix ? { fix } : {}),
      },
    ]
  }
}

/** Rejects when `promise` takes longer than `ms`: a hung backend must not hang the doctor. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000}s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
