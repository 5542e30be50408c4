import { describe, expect, it } from 'vitest'
import type { BackendStatus, InspectResult, Provider } from '../../provider/index.js'
import type { JsonValue, Workspace } from '../../workspace/index.js'
import type { ConformanceRun } from '../run.js'

const BACKEND_STATUSES: BackendStatus[] = ['pending', 'running', 'stopped', 'paused', 'error', 'missing']

export async function statusOf(provider: Provider, workspace: Workspace): Promise<BackendStatus> {
  const result: InspectResult = await provider.inspect(workspace)
  expect(BACKEND_STATUSES, 'inspect() status').toContain(result.status)
  if (result.detail !== undefined) expect(typeof result.detail, 'inspect() detail').toBe('string')
  return result.status
}

/** create → start → stop → start → destroy, with the repeats that must be harmless. */
export function describeLifecycle(run: ConformanceRun): void {
  describe('lifecycle', () => {
    it(
      'walks create → start → stop → start → destroy, and repeating start or stop changes nothing',
      async () => {
        const { provider } = run
        let workspace = await run.create('life')
        expect(workspace.backendRef, 'create() returns a backendRef object').toBeTypeOf('object')
        expect(workspace.backendRef).not.toBeNull()
        const ref = workspace.backendRef as JsonValue
        expect(JSON.parse(JSON.stringify(ref)), 'backendRef is plain JSON').toEqual(ref)
        expect(['stopped', 'pending'], 'a created workspace is not running yet').toContain(
          await statusOf(provider, workspace),
        )

        workspace = await run.start(workspace)
        expect(await statusOf(provider, workspace)).toBe('running')
        workspace = await run.start(workspace)
        expect(await statusOf(provider, workspace), 'start on a running workspace is a no-op').toBe('running')

        await provider.stop(workspace)
        workspace = { ...workspace, status: 'stopped' }
        expect(await statusOf(provider, workspace)).toBe('stopped')
        await provider.stop(workspace)
        expect(await statusOf(provider, workspace), 'stop on a stopped workspace is a no-op').toBe('stopped')

        workspace = await run.start(workspace)
        expect(await statusOf(provider, workspace), 'a stopped workspace starts again').toBe('running')

        await provider.destroy(workspace)
        run.forget(workspace)
        expect(await statusOf(provider, workspace)).toBe('missing')
      },
      run.timeoutMs,
    )

    it(
      'a fresh provider instance sees the same workspace (state outlives the instance)',
      async () => {
        const workspace = await run.create('persist')
        const another = await run.harness.makeProvider()
        expect(['stopped', 'pending']).toContain(await statusOf(another, workspace))
        await another.destroy(workspace)
        run.forget(workspace)
        expect(await statusOf(run.provider, workspace)).toBe('missing')
      },
      run.timeoutMs,
    )

    it(
      'destroy of a workspace the backend never created resolves, and inspect says missing',
      async () => {
        const { workspace } = await run.draft('never')
        await run.provider.destroy(workspace)
        expect(await statusOf(run.provider, workspace)).toBe('missing')
      },
      run.timeoutMs,
    )

    it(
      'destroy of an already destroyed workspace resolves',
      async () => {
        const workspace = await run.create('twice')
        await run.provider.destroy(workspace)
        run.forget(workspace)
        await run.provider.destroy(workspace)
        expect(await statusOf(run.provider, workspace)).toBe('missing')
      },
      run.timeoutMs,
    )
  })
}
