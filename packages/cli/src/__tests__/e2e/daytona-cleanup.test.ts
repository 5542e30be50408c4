import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { CleanupResult, Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeDaytona, type FakeDaytona } from './daytona-fake.js'
import { createSandbox, type Sandbox } from './harness.js'

let fake: FakeDaytona
let sandbox: Sandbox
let env: Record<string, string>

beforeAll(async () => {
  fake = await startFakeDaytona({ apiKey: 'dtn_cleanup_test' })
  sandbox = await createSandbox()
  // The docker backend points at no engine: this suite is about Daytona's leftovers only.
  env = {
    DAYTONA_API_KEY: fake.apiKey,
    DAYTONA_API_URL: fake.apiUrl,
    DOCKER_HOST: 'unix:///nonexistent/nexus-daytona-cleanup.sock',
  }
}, 60_000)

afterAll(async () => {
  await sandbox?.cleanup()
  await fake?.close()
})

describe('nexus workspace cleanup on daytona', () => {
  it('removes the sandbox of a workspace whose record is gone, and leaves the one with a record', async () => {
    const create = (name: string) =>
      sandbox.json<Workspace>(['workspace', 'create', name, '--backend', 'daytona'], { env })
    const kept = await create('kept')
    const lost = await create('lost')
    await rm(join(sandbox.nexusHome, 'state', 'workspaces', `${lost.id}.json`))
    const lostSandbox = String(lost.backendRef?.sandboxId)

    const dry = await sandbox.json<CleanupResult>(['workspace', 'cleanup', '--dry-run'], { env })
    expect(dry.items).toEqual([
      expect.objectContaining({
        kind: 'resource',
        backend: 'daytona',
        what: 'sandbox',
        id: lostSandbox,
        workspaceId: lost.id,
        outcome: 'planned',
      }),
    ])
    // A repository-scoped cleanup cannot tell which repository a sandbox was for, so it leaves sandboxes alone.
    const scoped = await sandbox.json<CleanupResult>(['workspace', 'cleanup', '--dry-run', '--repo-only'], {
      env,
    })
    expect(scoped.items).toEqual([])

    const done = await sandbox.json<CleanupResult>(['workspace', 'cleanup', '--yes'], { env })
    expect(done.items.map((i) => [i.id, i.outcome])).toEqual([[lostSandbox, 'removed']])
    await expect.poll(() => fake.state.deletedSandboxes, { timeout: 10_000 }).toContain(lostSandbox)
    expect(fake.state.sandboxes.has(String(kept.backendRef?.sandboxId))).toBe(true)
    expect((await sandbox.nexus(['workspace', 'exec', 'kept', '--', 'true'], { env })).code).toBe(0)
  }, 120_000)
})
