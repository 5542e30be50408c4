import { silentReporter } from '../../app/reporter.js'
import type { LoadedConfig } from '../../config/index.js'
import { ProviderRegistry, type Provider } from '../../provider/index.js'
import { StateStore } from '../../state/index.js'
import { createTestProviderContext } from '../../testing/index.js'
import type { ManagerDeps } from '../deps.js'

/** A provider named `name` with only the members a test gives; anything else it is asked fails the test. */
export function stubProvider(name: string, members: Partial<Provider>): Provider {
  const notUsed = async (): Promise<never> => {
    throw new Error(`${name}: not used here`)
  }
  return {
    apiVersion: 1,
    name,
    capabilities: () => ({}),
    operations: () => [],
    create: notUsed,
    start: notUsed,
    stop: notUsed,
    pause: notUsed,
    resume: notUsed,
    destroy: notUsed,
    inspect: notUsed,
    list: async () => [],
    sshEndpoint: notUsed,
    health: async () => ({ ok: true, message: 'ok' }),
    runOperation: notUsed,
    ...members,
  }
}

/** Manager deps on a temp NEXUS_HOME whose registry holds the one provider, with built-in config defaults. */
export function stubDeps(home: string, provider: Provider): ManagerDeps {
  const registry = new ProviderRegistry(
    [
      {
        descriptor: {
          apiVersion: 1,
          name: provider.name,
          summary: `${provider.name} (a test stub)`,
          load: async () => ({ apiVersion: 1, name: provider.name, create: () => provider }),
        },
        origin: { plugin: 'test', version: '0.0.0', type: 'core' },
      },
    ],
    () => createTestProviderContext({ nexusHome: home }),
  )
  return {
    state: new StateStore(home),
    registry,
    loaded: {} as LoadedConfig,
    reporter: silentReporter,
    actor: 'user',
    cwd: home,
    env: {},
  }
}
