import { createServer } from 'node:net'
import type { Workspace } from '@nexus/core'
import { captureStream, makeTestWorkspace, type TestWorkspace } from '@nexus/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CANARY_TOKEN,
  codedFailure,
  recordingClock,
  startTestBackend,
  type TestBackend,
} from '../__tests__/helpers.js'
import { createSpriteProvider } from '../provider.js'
import { createTestProviderContext } from '@nexus/core/testing'

let backend: TestBackend
let test: TestWorkspace

beforeAll(async () => {
  backend = await startTestBackend()
  test = await makeTestWorkspace({ backend: 'sprite', name: 'failing' })
})

afterAll(async () => {
  await test.cleanup()
  await backend.cleanup()
})

const CREATE = /^POST \/v1\/sprites$/

function exec(provider: Awaited<ReturnType<TestBackend['provider']>>, workspace: Workspace) {
  const sink = captureStream().stream
  return provider.exec(workspace, { command: ['true'], stdout: sink, stderr: sink })
}

/** A port nothing listens on: bound, then released. */
async function deadPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('sprite API failures become coded errors with the next step', () => {
  it('a rejected token is SPRITE_AUTH_FAILED naming SPRITE_TOKEN and the config key, never the token', async () => {
    const provider = await backend.provider({ token: 'spr_wrong_token' })
    const failure = await codedFailure(() => provider.create(test), 'SPRITE_AUTH_FAILED')
    expect(failure.suggestion).toContain('SPRITE_TOKEN')
    expect(failure.suggestion).toContain('nexus config set backends.sprite.token')
    expect(failure.message).not.toContain('spr_wrong_token')
    expect(backend.fake.state.requests.at(-1)).toMatchObject({ authorized: false })
  })

  it('a missing token is SPRITE_AUTH_FAILED before any request', async () => {
    const provider = await backend.provider({ token: null })
    const before = backend.fake.state.requests.length
    await codedFailure(() => provider.inspect(test.workspace), 'SPRITE_AUTH_FAILED')
    expect(backend.fake.state.requests.length).toBe(before)
    expect(await provider.health()).toMatchObject({
      ok: false,
      configured: false,
      message: expect.stringContaining('SPRITE_TOKEN'),
    })
  })

  it('waits out a 429 for its Retry-After, then succeeds', async () => {
    const clock = recordingClock()
    const provider = await backend.provider({ overrides: { clock } })
    backend.fake.state.failNext(429, 2, {
      match: CREATE,
      headers: { 'retry-after': '7' },
      body: { error: 'sprite_creation_rate_limited', message: 'Too many sprites created' },
    })
    const draft = await makeTestWorkspace({ backend: 'sprite', name: 'limited' })
    try {
      await provider.create(draft)
      expect(clock.sleeps).toEqual([7000, 7000])
      await provider.destroy({ ...draft.workspace, backendRef: null })
    } finally {
      await draft.cleanup()
    }
  })

  it('gives up after the bounded retries with SPRITE_RATE_LIMITED', async () => {
    const clock = recordingClock()
    const provider = await backend.provider({ overrides: { clock } })
    backend.fake.state.failNext(429, 3, { match: CREATE, headers: { 'retry-after': '3' } })
    const failure = await codedFailure(() => provider.create(test), 'SPRITE_RATE_LIMITED')
    expect(failure.suggestion).toContain('3 seconds')
    expect(clock.sleeps).toEqual([3000, 3000])
  })

  it('does not wait for a Retry-After longer than the policy allows', async () => {
    const clock = recordingClock()
    const provider = await backend.provider({ overrides: { clock } })
    backend.fake.state.failNext(429, 1, { match: CREATE, headers: { 'retry-after': '600' } })
    await codedFailure(() => provider.create(test), 'SPRITE_RATE_LIMITED')
    expect(clock.sleeps).toEqual([])
  })

  it('the concurrent sprite limit is RESOURCE_EXHAUSTED with what to do', async () => {
    const provider = await backend.provider({ overrides: { clock: recordingClock() } })
    backend.fake.state.failNext(429, 1, {
      match: CREATE,
      body: {
        error: 'concurrent_sprite_limit_exceeded',
        message: 'Concurrent sprite limit reached',
        current_count: 3,
      },
    })
    const failure = await codedFailure(() => provider.create(test), 'RESOURCE_EXHAUSTED')
    expect(failure.suggestion).toContain('nexus workspace destroy')
  })

  it('a sprite deleted behind nexus is reported as gone, through the REST diagnosis of the refused exec', async () => {
    const provider = await backend.provider()
    const draft = await makeTestWorkspace({ backend: 'sprite', name: 'vanished' })
    try {
      const { backendRef } = await provider.create(draft)
      const workspace: Workspace = { ...draft.workspace, backendRef, status: 'running' }
      await provider.destroy(workspace)
      const failure = await codedFailure(() => exec(provider, workspace), 'BACKEND_ERROR')
      expect(failure.message).toContain('no longer exists')
      expect(failure.suggestion).toContain('nexus workspace destroy vanished')
      expect((await provider.inspect(workspace)).status).toBe('missing')
    } finally {
      await draft.cleanup()
    }
  })

  it('a token revoked mid-way turns a refused exec into SPRITE_AUTH_FAILED, not an opaque WebSocket error', async () => {
    const provider = await backend.provider()
    const draft = await makeTestWorkspace({ backend: 'sprite', name: 'revoked' })
    try {
      const { backendRef } = await provider.create(draft)
      const revoked = await backend.provider({ token: 'spr_revoked' })
      await codedFailure(
        () => exec(revoked, { ...draft.workspace, backendRef, status: 'running' }),
        'SPRITE_AUTH_FAILED',
      )
    } finally {
      await provider.destroy(draft.workspace)
      await draft.cleanup()
    }
  })

  it('an API that does not answer is BACKEND_UNAVAILABLE', async () => {
    const port = await deadPort()
    const provider = await createSpriteProvider(
      createTestProviderContext({
        nexusHome: backend.nexusHome,
        env: { SPRITE_TOKEN: CANARY_TOKEN, SPRITES_API_URL: `http://127.0.0.1:${port}` },
      }),
    )
    const failure = await codedFailure(() => provider.inspect(test.workspace), 'BACKEND_UNAVAILABLE')
    expect(failure.message).toContain(`127.0.0.1:${port}`)
  })
})
