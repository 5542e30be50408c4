import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NexusError } from '../errors/index.js'
import type { SshEndpoint } from '../provider/index.js'
import { closedPort } from './__tests__/ports.js'
import { ensureKeyPair } from './keys.js'
import { type WaitClock, waitForSsh } from './wait.js'

/** Time that moves only when waitForSsh sleeps, so a 30 s budget costs no real waiting. */
function fakeClock(): WaitClock & { sleeps: number[] } {
  let now = 1_000_000
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

let home: string
let identity: string
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'nexus-wait-'))
  identity = (await ensureKeyPair(home)).privateKeyPath
})
afterAll(async () => {
  await rm(home, { recursive: true, force: true })
})

const endpointAt = (port: number, overrides: Partial<SshEndpoint> = {}): SshEndpoint => ({
  host: '127.0.0.1',
  port,
  user: 'root',
  identity,
  forwardAgent: false,
  ...overrides,
})

describe('waitForSsh', () => {
  it('keeps retrying a refusing port at the interval, then times out naming the last failure', async () => {
    const clock = fakeClock()
    const port = await closedPort()
    const failure = waitForSsh(endpointAt(port), {
      timeoutMs: 30_000,
      intervalMs: 2_000,
      clock,
      workspaceName: 'api',
    })
    await expect(failure).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringContaining('nothing is listening there'),
      suggestion: expect.stringContaining('nexus workspace info api'),
      details: expect.objectContaining({ attempts: 15 }),
    })
    expect(clock.sleeps).toEqual(Array.from({ length: 14 }, () => 2_000))
  })

  it('returns as soon as an attempt succeeds', async () => {
    const clock = fakeClock()
    let calls = 0
    const result = await waitForSsh(endpointAt(22), {
      timeoutMs: 10_000,
      intervalMs: 500,
      clock,
      attempt: async () => {
        calls += 1
        if (calls < 3) throw new NexusError('SSH_ERROR', 'Connection refused.', { retryable: true })
      },
    })
    expect(result).toEqual({ attempts: 3 })
    expect(clock.sleeps).toEqual([500, 500])
  })

  it('gives up at once when the key file is missing, since retrying cannot help', async () => {
    const clock = fakeClock()
    const port = await closedPort()
    await expect(
      waitForSsh(endpointAt(port, { identity: join(home, 'missing-key') }), {
        timeoutMs: 30_000,
        intervalMs: 1_000,
        clock,
      }),
    ).rejects.toMatchObject({ code: 'SSH_ERROR', retryable: false })
    expect(clock.sleeps).toEqual([])
  })
})
