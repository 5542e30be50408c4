/** Time, injectable so retry and polling loops can be tested without waiting. */
export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number
  initialDelayMs: number
  maxDelayMs: number
  isRetryable(error: unknown): boolean
  clock?: Clock
}

export const DEFAULT_RETRY: Omit<RetryPolicy, 'isRetryable'> = {
  attempts: 4,
  initialDelayMs: 50,
  maxDelayMs: 800,
}

/** Calls `fn` until it succeeds, a non-retryable error is thrown, or the attempts are used up (then rethrows the last). */
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  const clock = policy.clock ?? systemClock
  let delay = policy.initialDelayMs
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (error) {
      if (attempt >= policy.attempts || !policy.isRetryable(error)) throw error
      await clock.sleep(delay)
      delay = Math.min(delay * 2, policy.maxDelayMs)
    }
  }
}

/**
 * Polls `probe` every `intervalMs` until it returns a value other than undefined, or `timeoutMs` passes (then
 * resolves undefined). Used for "wait until sshd answers" and "wait until healthy".
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  options: { intervalMs: number; timeoutMs: number; clock?: Clock },
): Promise<T | undefined> {
  const clock = options.clock ?? systemClock
  const deadline = clock.now() + options.timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (clock.now() >= deadline) return undefined
    await clock.sleep(options.intervalMs)
  }
}
