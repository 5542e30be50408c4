import { describe, expect, it } from 'vitest'
import { runOperation, type Provider } from '../../provider/index.js'
import type { Workspace } from '../../workspace/index.js'
import { expectNexusError } from '../expectations.js'
import type { ConformanceRun } from '../run.js'
import { captureStream } from '../streams.js'

type GatedCall = (provider: Provider, workspace: Workspace) => Promise<unknown>

/** Contract methods that only make sense with a capability; switched off, each must refuse. */
const GATED_METHODS: Record<string, { method: keyof Provider; call: GatedCall }> = {
  ssh: { method: 'sshEndpoint', call: (provider, workspace) => provider.sshEndpoint(workspace) },
  pause: { method: 'pause', call: (provider, workspace) => provider.pause(workspace) },
  exec: {
    method: 'exec',
    call: async (provider, workspace) => {
      const sink = captureStream().stream
      return provider.exec?.(workspace, { command: ['true'], stdout: sink, stderr: sink })
    },
  },
  logs: {
    method: 'logs',
    call: async (provider, workspace) => {
      const sink = captureStream().stream
      return provider.logs?.(workspace, { stdout: sink, stderr: sink })
    },
  },
  stats: { method: 'stats', call: async (provider, workspace) => provider.stats?.(workspace) },
}

/** A provider that says it cannot do something must refuse to do it, through every path core uses. */
export function describeCapabilityHonesty(run: ConformanceRun): void {
  describe('capability honesty', () => {
    it(
      'core refuses every operation whose capability the provider reports false',
      async (context) => {
        const { provider } = run
        const capabilities = provider.capabilities()
        const refused = provider
          .operations()
          .filter((operation) => capabilities[operation.capability] !== true)
        context.skip(refused.length === 0, 'every operation has a capability the provider supports')
        const { workspace } = await run.draft('honest')
        for (const operation of refused) {
          await expectNexusError(
            () => runOperation(provider, operation.id, {}, workspace),
            'CAPABILITY_NOT_SUPPORTED',
            `runOperation(${operation.id})`,
          )
        }
      },
      run.timeoutMs,
    )

    it(
      'with a capability switched off by config, every operation and method needing it refuses',
      async (context) => {
        const { provider } = run
        const capabilities = provider.capabilities()
        const candidates = switchableCapabilities(provider)
        context.skip(candidates.length === 0, 'the provider supports no capability that anything depends on')

        const ignored: string[] = []
        const honoured: Array<{ capability: string; restricted: Provider }> = []
        for (const capability of candidates) {
          const restricted = await run.harness.makeProvider({ capabilities: { [capability]: false } })
          if (restricted.capabilities()[capability] === false) honoured.push({ capability, restricted })
          else ignored.push(capability)
        }
        context.skip(honoured.length === 0, 'the provider ignores capability overrides')
        expect(ignored, 'a provider that honours some overrides must honour all of them').toEqual([])

        const workspace = await run.createRunning('restricted')
        for (const { capability, restricted } of honoured) {
          for (const operation of restricted.operations().filter((op) => op.capability === capability)) {
            await expectNexusError(
              () => runOperation(restricted, operation.id, {}, workspace),
              'CAPABILITY_NOT_SUPPORTED',
              `runOperation(${operation.id}) with ${capability}: false`,
            )
          }
          const gated = GATED_METHODS[capability]
          if (gated && capabilities[capability] === true && typeof restricted[gated.method] === 'function') {
            await expectNexusError(
              () => gated.call(restricted, workspace),
              'CAPABILITY_NOT_SUPPORTED',
              `${gated.method}() with ${capability}: false`,
            )
          }
        }
        await provider.destroy(workspace)
        run.forget(workspace)
      },
      run.timeoutMs,
    )
  })
}

/** Capabilities the provider reports true that some operation or contract method depends on. */
function switchableCapabilities(provider: Provider): string[] {
  const capabilities = provider.capabilities()
  const needed = new Set<string>(provider.operations().map((operation) => operation.capability))
  for (const [capability, gated] of Object.entries(GATED_METHODS)) {
    if (typeof provider[gated.method] === 'function') needed.add(capability)
  }
  return [...needed].filter((capability) => capabilities[capability] === true).sort()
}
