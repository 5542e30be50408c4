import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { JsonObject, Reporter } from '@nexus/core'
import { createTestProviderContext, makeTestWorkspace, type TestWorkspace } from '@nexus/core/testing'
import { createDaytonaProvider, type DaytonaProviderOverrides } from '../provider.js'
import type { DaytonaProvider } from '../daytona-provider.js'
import { startFakeDaytona, type FakeDaytona } from './fake-daytona/index.js'

/** A fake Daytona, a temp $NEXUS_HOME, and providers pointed at them (polling mode: no Socket.IO). */
export interface DaytonaTestWorld {
  fake: FakeDaytona
  nexusHome: string
  provider(config?: JsonObject, reporter?: Reporter, overrides?: DaytonaProviderOverrides): DaytonaProvider
  workspace(name: string): Promise<TestWorkspace>
  close(): Promise<void>
}

export async function openWorld(): Promise<DaytonaTestWorld> {
  const fake = await startFakeDaytona()
  const nexusHome = await mkdtemp(join(tmpdir(), 'nexus-daytona-home-'))
  const made: TestWorkspace[] = []
  return {
    fake,
    nexusHome,
    provider(config = {}, reporter, overrides) {
      return createDaytonaProvider(
        createTestProviderContext({
          nexusHome,
          config: { api_key: fake.apiKey, api_url: fake.apiUrl, poll: true, ...config },
          env: {},
          ...(reporter ? { reporter } : {}),
        }),
        overrides,
      )
    },
    async workspace(name) {
      const workspace = await makeTestWorkspace({ backend: 'daytona', name, withSshKey: true })
      made.push(workspace)
      return workspace
    },
    async close() {
      for (const workspace of made.splice(0)) await workspace.cleanup()
      await fake.close()
      await rm(nexusHome, { recursive: true, force: true })
    },
  }
}
