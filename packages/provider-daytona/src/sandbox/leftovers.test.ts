import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestProviderContext } from '@nexus/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openWorld, type DaytonaTestWorld } from '../__tests__/harness.js'
import { createDaytonaProvider } from '../provider.js'

let world: DaytonaTestWorld
let otherHome: string

beforeAll(async () => {
  world = await openWorld()
  otherHome = await mkdtemp(join(tmpdir(), 'nexus-daytona-other-home-'))
})

afterAll(async () => {
  await world?.close()
  if (otherHome) await rm(otherHome, { recursive: true, force: true })
})

async function sandboxFor(name: string, provider = world.provider()): Promise<string> {
  const { workspace, spec } = await world.workspace(name)
  const created = await provider.create({ workspace, spec })
  return String(created.backendRef.sandboxId)
}

describe('daytona leftovers for `nexus workspace cleanup`', () => {
  it("lists this home's sandboxes only, and removes one (again: no error)", async () => {
    const mine = await sandboxFor('mine')
    const orphan = await sandboxFor('orphan')
    // Another machine or person in the same organisation: its sandboxes carry another home label.
    const elsewhere = createDaytonaProvider(
      createTestProviderContext({
        nexusHome: otherHome,
        config: { api_key: world.fake.apiKey, api_url: world.fake.apiUrl, poll: true },
        env: {},
      }),
    )
    const theirs = await sandboxFor('theirs', elsewhere)
    const leftovers = world.provider().leftovers

    const listed = await leftovers.list()
    expect(listed.map((r) => r.id).sort()).toEqual([mine, orphan].sort())
    expect(listed.map((r) => r.id)).not.toContain(theirs)
    // No repository path reaches Daytona, so `cleanup --repo-only` cannot claim a sandbox for a repository.
    for (const resource of listed) expect(resource).toMatchObject({ kind: 'sandbox', repoRoot: null })

    const resource = listed.find((r) => r.id === orphan)
    if (!resource) throw new Error('the orphan sandbox was not listed')
    await leftovers.remove(resource)
    // Daytona deletes in the background (`destroying`, then gone), as the fake does.
    await expect.poll(() => world.fake.state.deletedSandboxes, { timeout: 10_000 }).toContain(orphan)
    await expect(leftovers.remove(resource)).resolves.toBeUndefined()
    expect((await leftovers.list()).map((r) => r.id)).toEqual([mine])
    expect(world.fake.state.sandboxes.has(theirs)).toBe(true)
  })

  it('lists nothing, and fails nothing, without an API key', async () => {
    const unset = createDaytonaProvider(
      createTestProviderContext({
        nexusHome: world.nexusHome,
        config: { api_url: world.fake.apiUrl },
        env: {},
      }),
    )
    await expect(unset.leftovers.list()).resolves.toEqual([])
  })
})
