import { existsSync } from 'node:fs'
import type { Provider, Workspace } from '@nexus/core'
import { captureStream } from '@nexus/core/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MockHome } from './__tests__/mock-home.js'
import { MockStateStore } from './state.js'

let home: MockHome
let provider: Provider
beforeEach(async () => {
  home = await MockHome.create()
  provider = await home.provider()
})
afterEach(async () => {
  await home.cleanup()
})

async function printenv(workspace: Workspace, name: string): Promise<string> {
  const stdout = captureStream()
  await provider.exec?.(workspace, {
    command: ['printenv', name],
    stdout: stdout.stream,
    stderr: captureStream().stream,
  })
  return stdout.text().trim()
}

describe('mock backend snapshots (its part: the env commands run with)', () => {
  it('captures the env, puts it back on restore, and deletes its copy', async () => {
    const workspace = await home.running(provider, 'snap', { STAGE: 'before' })
    const snapshots = provider.snapshots
    if (!snapshots) throw new Error('the mock offers no snapshots')
    const created = await snapshots.create(workspace, { name: 'base', description: null })
    expect(created.ref).toEqual({ workspaceId: workspace.id, snapshot: 'base' })
    expect(created.sizeBytes).toBeGreaterThan(0)

    const store = new MockStateStore(home.nexusHome)
    const record = await store.read(workspace.id)
    if (!record) throw new Error('no record')
    await store.update(record, { env: { STAGE: 'after' } })
    expect(await printenv(workspace, 'STAGE')).toBe('after')

    await snapshots.restore(workspace, created.ref)
    expect(await printenv(workspace, 'STAGE')).toBe('before')

    const file = store.backendSnapshotFile(workspace.id, 'base')
    expect(existsSync(file)).toBe(true)
    await snapshots.delete(workspace, created.ref)
    await snapshots.delete(workspace, created.ref)
    expect(existsSync(file)).toBe(false)
    await expect(snapshots.restore(workspace, created.ref)).rejects.toMatchObject({ code: 'BACKEND_ERROR' })
  })

  it("provisions a new workspace from another's snapshot, its own env winning", async () => {
    const source = await home.running(provider, 'source', { STAGE: 'snapshotted', ONLY_IN_SNAPSHOT: 'yes' })
    const { ref } = await provider.snapshots!.create(source, { name: 'base', description: 'a base' })
    const { workspace, spec } = await home.workspace('copy')
    await provider.snapshots!.createFrom!({ workspace, spec: { ...spec, env: { STAGE: 'own' } } }, ref)
    await provider.start(workspace)
    const running: Workspace = { ...workspace, status: 'running' }
    expect(await printenv(running, 'ONLY_IN_SNAPSHOT')).toBe('yes')
    expect(await printenv(running, 'STAGE')).toBe('own')
  })

  it('offers no snapshot calls when the capability is switched off', async () => {
    const off = await home.provider({ capabilities: { snapshots: false } })
    expect(off.snapshots).toBeUndefined()
    expect(off.capabilities().snapshots).toBe(false)
  })
})
