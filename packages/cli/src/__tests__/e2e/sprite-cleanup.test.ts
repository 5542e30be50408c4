import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { CleanupResult, Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from './harness.js'
import { startFakeSprites, type FakeSprites } from './sprite-fake.js'

const TOKEN = 'spr_cleanup_test_token'
let fake: FakeSprites
let sandbox: Sandbox
let env: Record<string, string>

beforeAll(async () => {
  fake = await startFakeSprites({ token: TOKEN })
  sandbox = await createSandbox()
  // The docker backend points at no engine: this suite is about the Sprites leftovers only.
  env = {
    SPRITE_TOKEN: TOKEN,
    SPRITES_API_URL: fake.url,
    DOCKER_HOST: 'unix:///nonexistent/nexus-sprite-cleanup.sock',
  }
}, 60_000)

afterAll(async () => {
  await sandbox?.cleanup()
  await fake?.close()
})

describe('nexus workspace cleanup on sprite', () => {
  it('removes the sprite of a workspace whose record is gone, and leaves the one with a record', async () => {
    const create = (name: string) =>
      sandbox.json<Workspace>(['workspace', 'create', name, '--backend', 'sprite'], { env })
    const kept = await create('kept')
    const lost = await create('lost')
    await rm(join(sandbox.nexusHome, 'state', 'workspaces', `${lost.id}.json`))
    const lostSprite = String(lost.backendRef?.sprite)

    const dry = await sandbox.json<CleanupResult>(['workspace', 'cleanup', '--dry-run'], { env })
    expect(dry.items).toEqual([
      expect.objectContaining({
        kind: 'resource',
        backend: 'sprite',
        what: 'sprite',
        name: lostSprite,
        workspaceId: lost.id,
        outcome: 'planned',
      }),
    ])
    const done = await sandbox.json<CleanupResult>(['workspace', 'cleanup', '--yes'], { env })
    expect(done.items.map((i) => [i.name, i.outcome])).toEqual([[lostSprite, 'removed']])
    expect([...fake.state.sprites.keys()]).toEqual([String(kept.backendRef?.sprite)])
    expect((await sandbox.nexus(['workspace', 'exec', 'kept', '--', 'true'], { env })).code).toBe(0)
  }, 120_000)
})
