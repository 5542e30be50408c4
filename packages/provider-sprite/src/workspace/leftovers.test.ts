import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestProviderContext, makeTestWorkspace, type TestWorkspace } from '@nexus/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CANARY_TOKEN, startTestBackend, type TestBackend } from '../__tests__/helpers.js'
import { createSpriteProvider } from '../provider.js'
import type { SpriteProvider } from '../sprite-provider.js'

let backend: TestBackend
let otherHome: string
const made: TestWorkspace[] = []

beforeAll(async () => {
  backend = await startTestBackend()
  otherHome = await mkdtemp(join(tmpdir(), 'nexus-sprite-other-home-'))
})

afterAll(async () => {
  for (const workspace of made.splice(0)) await workspace.cleanup()
  await backend?.cleanup()
  if (otherHome) await rm(otherHome, { recursive: true, force: true })
})

async function spriteFor(name: string, provider: SpriteProvider): Promise<string> {
  const test = await makeTestWorkspace({ backend: 'sprite', name })
  made.push(test)
  const { backendRef } = await provider.create({ workspace: test.workspace, spec: test.spec })
  return String(backendRef.sprite)
}

describe('sprite leftovers and list() in an org shared by several nexus homes', () => {
  it("claims only this home's sprites; cleanup removes one of them and never another home's", async () => {
    const here = await backend.provider()
    // Another machine or person in the same org: its sprites carry another home label.
    const elsewhere = await createSpriteProvider(
      createTestProviderContext({
        nexusHome: otherHome,
        env: { SPRITES_API_URL: backend.fake.url, SPRITE_TOKEN: CANARY_TOKEN },
      }),
    )
    const mine = await spriteFor('mine', here)
    const orphan = await spriteFor('orphan', here)
    const theirs = await spriteFor('theirs', elsewhere)
    // Made before sprites carried a home label: still listed (doctor may mention it), never removed by cleanup.
    await backend.fake.state.addSprite('nexus-repo-old', ['nexus', 'nexus-ws-old-id'], 'sprite')

    expect((await here.list()).map((r) => r.name).sort()).toEqual([mine, 'nexus-repo-old', orphan].sort())
    expect((await elsewhere.list()).map((r) => r.name)).toEqual([theirs, 'nexus-repo-old'])

    const leftovers = await here.leftovers.list()
    expect(leftovers.map((r) => r.name).sort()).toEqual([mine, orphan].sort())
    for (const resource of leftovers) expect(resource).toMatchObject({ kind: 'sprite', repoRoot: null })

    const resource = leftovers.find((r) => r.name === orphan)
    if (!resource) throw new Error('the orphan sprite was not listed')
    await here.leftovers.remove(resource)
    await expect(here.leftovers.remove(resource)).resolves.toBeUndefined()
    expect([...backend.fake.state.sprites.keys()].sort()).toEqual([mine, 'nexus-repo-old', theirs].sort())
  })

  it('lists nothing, and fails nothing, without a token', async () => {
    const unset = await backend.provider({ token: null })
    await expect(unset.leftovers.list()).resolves.toEqual([])
  })
})
