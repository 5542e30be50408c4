import { describe, expect, it } from 'vitest'
import { pollUntil, withRetry, type Clock } from './retry.js'

/** A clock that advances only when slept on, and remembers how long each sleep was. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms)
      now += ms
    },
  }
}

const transient = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
const fatal = new Error('no such image')

describe('withRetry', () => {
  it('retries retryable failures with doubling, capped delays until the call succeeds', async () => {
    const clock = fakeClock()
    let calls = 0
    const result = await withRetry(
      async () => {
        calls += 1
        if (calls < 4) throw transient
        return 'ok'
      },
      { attempts: 5, initialDelayMs: 50, maxDelayMs: 150, isRetryable: (e) => e === transient, clock },
    )
    expect(result).toBe('ok')
    expect(clock.sleeps).toEqual([50, 100, 150])
  })

  it('rethrows a non-retryable failure at once', async () => {
    const clock = fakeClock()
    await expect(
      withRetry(() => Promise.reject(fatal), {
        attempts: 5,
        initialDelayMs: 10,
        maxDelayMs: 10,
        isRetryable: (e) => e === transient,
        clock,
      }),
    ).rejects.toBe(fatal)
    expect(clock.sleeps).toEqual([])
  })

  it('gives up after the last attempt with the last failure', async () => {
    const clock = fakeClock()
    let calls = 0
    const failing = () => {
      calls += 1
      return Promise.reject(transient)
    }
    await expect(
      withRetry(failing, {
        attempts: 3,
        initialDelayMs: 10,
        maxDelayMs: 100,
        isRetryable: () => true,
        clock,
      }),
    ).rejects.toBe(transient)
    expect(calls).toBe(3)
  })
})

describe('pollUntil', () => {
  it('returns the first defined answer', async () => {
    const clock = fakeClock()
    let calls = 0
    const value = await pollUntil(async () => (++calls === 3 ? 'ready' : undefined), {
      intervalMs: 20,
      timeoutMs: 1000,
      clock,
    })
    expect(value).toBe('ready')
    expect(clock.sleeps).toEqual([20, 20])
  })

  it('resolves undefined once the timeout has passed', async () => {
    const clock = fakeClock()
    expect(await pollUntil(async () => undefined, { intervalMs: 20, timeoutMs: 100, clock })).toBeUndefined()
    expect(clock.now()).toBe(100)
  })
})
