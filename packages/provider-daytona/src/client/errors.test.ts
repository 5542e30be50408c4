import {
  DaytonaAuthenticationError,
  DaytonaConnectionError,
  DaytonaError,
  DaytonaForbiddenError,
  DaytonaNotFoundError,
  DaytonaRateLimitError,
} from '@daytonaio/sdk'
import type { Clock } from '@nexus/core'
import { describe, expect, it } from 'vitest'
import { callDaytona, redact, toNexusError, type ErrorContext } from './errors.js'

const context: ErrorContext = {
  action: 'create the sandbox of workspace "x"',
  apiUrl: 'https://app.daytona.io/api',
  apiKey: 'dtn_secret_key_123',
  workspace: 'x',
  target: 'mars',
}

function mapped(error: unknown): { code: string; message: string; suggestion?: string } {
  return toNexusError(error, context) as { code: string; message: string; suggestion?: string }
}

/** Sleeps nothing; counts what the retry loop asked for. */
function instantClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = []
  return { sleeps, now: () => 0, sleep: async (ms) => void sleeps.push(ms) }
}

describe('SDK failures as NexusErrors', () => {
  it('maps 401 to DAYTONA_AUTH_FAILED naming the variable and the config key', () => {
    const error = mapped(new DaytonaAuthenticationError('Unauthorized', 401))
    expect(error.code).toBe('DAYTONA_AUTH_FAILED')
    expect(error.suggestion).toContain('DAYTONA_API_KEY')
    expect(error.suggestion).toContain('nexus config set backends.daytona.api_key')
  })

  it('maps a quota refusal (403 with a quota message) to DAYTONA_QUOTA_EXCEEDED, other 403s to auth', () => {
    expect(mapped(new DaytonaForbiddenError('Total CPU quota exceeded. Maximum allowed: 4', 403)).code).toBe(
      'DAYTONA_QUOTA_EXCEEDED',
    )
    expect(mapped(new DaytonaForbiddenError('Forbidden resource', 403)).code).toBe('DAYTONA_AUTH_FAILED')
  })

  it('maps an unknown region to DAYTONA_REGION_UNAVAILABLE naming the region', () => {
    const error = mapped(new DaytonaError('Region mars is not available', 400))
    expect(error.code).toBe('DAYTONA_REGION_UNAVAILABLE')
    expect(error.message).toContain('"mars"')
  })

  it('maps connection failures to BACKEND_UNAVAILABLE and a stopped toolbox to DAYTONA_SANDBOX_STOPPED', () => {
    expect(mapped(new DaytonaConnectionError('connect ECONNREFUSED 127.0.0.1:9')).code).toBe(
      'BACKEND_UNAVAILABLE',
    )
    expect(mapped(new TypeError('fetch failed')).code).toBe('BACKEND_UNAVAILABLE')
    expect(
      mapped(new DaytonaError('bad request: sandbox is stopped. Is the Sandbox started?', 400)).code,
    ).toBe('DAYTONA_SANDBOX_STOPPED')
    expect(mapped(new DaytonaNotFoundError('Sandbox not found', 404)).code).toBe('BACKEND_ERROR')
  })

  it('never repeats the API key or a bearer token from a server message', () => {
    const error = mapped(
      new DaytonaError('upstream said: Bearer dtn_secret_key_123 is odd (dtn_secret_key_123)', 500),
    )
    expect(JSON.stringify(error)).not.toContain('dtn_secret_key_123')
    expect(redact('Authorization: Bearer abc.def', undefined)).toBe('Authorization: Bearer ***')
  })

  it('retries 429 with growing delays, then reports DAYTONA_RATE_LIMITED', async () => {
    const clock = instantClock()
    let calls = 0
    const failing = callDaytona(
      async () => {
        calls += 1
        throw new DaytonaRateLimitError('Too Many Requests', 429)
      },
      context,
      { clock, attempts: 4 },
    )
    await expect(failing).rejects.toMatchObject({ code: 'DAYTONA_RATE_LIMITED' })
    expect(calls).toBe(4)
    expect(clock.sleeps).toEqual([250, 500, 1000])

    let tries = 0
    const recovered = await callDaytona(
      async () => {
        tries += 1
        if (tries < 3) throw new DaytonaRateLimitError('Too Many Requests', 429)
        return 'ok'
      },
      context,
      { clock: instantClock() },
    )
    expect(recovered).toBe('ok')
  })

  it('does not retry what retrying cannot fix', async () => {
    let calls = 0
    await expect(
      callDaytona(
        async () => {
          calls += 1
          throw new DaytonaAuthenticationError('Unauthorized', 401)
        },
        context,
        { clock: instantClock() },
      ),
    ).rejects.toMatchObject({ code: 'DAYTONA_AUTH_FAILED' })
    expect(calls).toBe(1)
  })
})
