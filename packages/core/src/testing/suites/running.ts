import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackendResource } from '../../provider/index.js'
import type { Workspace } from '../../workspace/index.js'
import { expectNexusError } from '../expectations.js'
import type { ConformanceRun } from '../run.js'
import { captureStream } from '../streams.js'

const BACKEND_STATUSES = ['pending', 'running', 'stopped', 'paused', 'error', 'missing']

/** What a running workspace offers besides commands: SSH, an inventory entry, logs, stats; and health. */
export function describeRunningWorkspace(run: ConformanceRun): void {
  describe('a running workspace', () => {
    let running: Workspace | undefined
    const workspace = (): Workspace => {
      if (!running) throw new Error('beforeAll did not start the workspace')
      return running
    }

    beforeAll(async () => {
      running = await run.createRunning('run')
    }, run.timeoutMs)

    afterAll(async () => {
      if (!running) return
      await run.provider.destroy(running)
      run.forget(running)
    }, run.timeoutMs)

    it(
      'gives an SSH endpoint when it reports ssh, and refuses with CAPABILITY_NOT_SUPPORTED when not',
      async () => {
        const { provider } = run
        if (provider.capabilities().ssh !== true) {
          await expectNexusError(
            () => provider.sshEndpoint(workspace()),
            'CAPABILITY_NOT_SUPPORTED',
            'sshEndpoint()',
          )
          return
        }
        const endpoint = await provider.sshEndpoint(workspace())
        expect(typeof endpoint.host === 'string' && endpoint.host.length > 0, 'host').toBe(true)
        expect(Number.isInteger(endpoint.port) && endpoint.port >= 1 && endpoint.port <= 65535, 'port').toBe(
          true,
        )
        expect(typeof endpoint.user === 'string' && endpoint.user.length > 0, 'user').toBe(true)
        expect(typeof endpoint.identity === 'string' && endpoint.identity.length > 0, 'identity path').toBe(
          true,
        )
        expect(typeof endpoint.forwardAgent, 'forwardAgent').toBe('boolean')
      },
      run.timeoutMs,
    )

    it(
      'is listed with its workspace id, and every listed resource is well formed',
      async () => {
        const resources = await run.provider.list()
        for (const resource of resources) expectWellFormedResource(resource)
        const mine = resources.filter((resource) => resource.workspaceId === workspace().id)
        expect(mine.length, 'list() includes a resource carrying the workspace id').toBeGreaterThan(0)
        expect(mine.map((resource) => resource.status)).toContain('running')
      },
      run.timeoutMs,
    )

    it(
      'writes its logs when it reports logs',
      async (context) => {
        const { provider } = run
        context.skip(
          provider.capabilities().logs !== true || !provider.logs,
          'the provider does not report logs',
        )
        const stdout = captureStream()
        const stderr = captureStream()
        await provider.logs?.(workspace(), { stdout: stdout.stream, stderr: stderr.stream, tail: 100 })
        expect(typeof stdout.text()).toBe('string')
      },
      run.timeoutMs,
    )

    it(
      'reports stats as numbers when it reports stats',
      async (context) => {
        const { provider } = run
        context.skip(
          provider.capabilities().stats !== true || !provider.stats,
          'the provider does not report stats',
        )
        const stats = await provider.stats?.(workspace())
        expect(typeof stats?.cpuPercent).toBe('number')
        expect(typeof stats?.memoryBytes).toBe('number')
        expect(stats?.memoryLimitBytes === null || typeof stats?.memoryLimitBytes === 'number').toBe(true)
      },
      run.timeoutMs,
    )

    it(
      'reports its health as { ok, message }',
      async () => {
        const health = await run.provider.health()
        expect(typeof health.ok).toBe('boolean')
        expect(typeof health.message === 'string' && health.message.length > 0, 'message').toBe(true)
      },
      run.timeoutMs,
    )
  })
}

function expectWellFormedResource(resource: BackendResource): void {
  expect(typeof resource.kind, 'resource kind').toBe('string')
  expect(typeof resource.id, 'resource id').toBe('string')
  expect(typeof resource.name, 'resource name').toBe('string')
  expect(
    resource.workspaceId === null || typeof resource.workspaceId === 'string',
    'resource workspaceId',
  ).toBe(true)
  expect(BACKEND_STATUSES, 'resource status').toContain(resource.status)
}
