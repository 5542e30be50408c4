import { mkdir } from 'node:fs/promises'
import { loadConfig, type LoadedConfig } from '../config/index.js'
import { WorkspaceManager } from '../manager/index.js'
import { ProviderRegistry, supportedCapabilities, type Reporter } from '../provider/index.js'
import { StateStore } from '../state/index.js'
import type { JsonObject } from '../workspace/index.js'
import { discoverProviders } from './providers.js'
import { silentReporter } from './reporter.js'
import type { Actor, NexusOptions } from './types.js'

/** One command's view of nexus: merged config, installed providers, state, and the workspace operations. */
export interface Nexus {
  loaded: LoadedConfig
  registry: ProviderRegistry
  state: StateStore
  manager: WorkspaceManager
  reporter: Reporter
  /** Problems met while discovering plugins (already reported through the reporter). */
  warnings: string[]
}

export interface ProviderSummary {
  name: string
  summary: string
  plugin: string
  version: string
  type: string
  capabilities: string[]
}

function actorFrom(env: Record<string, string | undefined>): Actor {
  const value = env.NEXUS_ACTOR
  return value === 'agent' || value === 'system' ? value : 'user'
}

export async function createNexus(options: NexusOptions): Promise<Nexus> {
  const cwd = options.cwd ?? process.cwd()
  const env = options.env ?? process.env
  const reporter = options.reporter ?? silentReporter
  const [loaded, discovered] = await Promise.all([
    loadConfig({ cwd, env, ...(options.flagConfig ? { flags: options.flagConfig } : {}) }),
    discoverProviders(options.hooks),
  ])
  for (const warning of discovered.warnings) reporter.warn(warning)
  const nexusHome = loaded.locations.nexusHome
  // Keys, the event log and provider records holding a workspace's env live here: whoever writes first (state,
  // keys, a provider) would otherwise create it world-readable. A NEXUS_HOME the user made is left as it is.
  await mkdir(nexusHome, { recursive: true, mode: 0o700 })
  const state = new StateStore(nexusHome)
  const registry = new ProviderRegistry(discovered.registered, (name) => ({
    config: (loaded.config.backends[name] ?? {}) as JsonObject,
    globalConfig: loaded.config as unknown as JsonObject,
    nexusHome,
    env,
    reporter,
  }))
  const manager = new WorkspaceManager({
    state,
    registry,
    loaded,
    reporter,
    actor: options.actor ?? actorFrom(env),
    cwd,
    env,
  })
  return { loaded, registry, state, manager, reporter, warnings: discovered.warnings }
}

/** `nexus provider list`: loads each provider to ask for its capabilities (that is when SDKs get imported). */
export async function summarizeProviders(nexus: Nexus): Promise<ProviderSummary[]> {
  return Promise.all(
    nexus.registry.all().map(async ({ descriptor, origin }) => {
      const capabilities = await nexus.registry
        .get(descriptor.name)
        .then((p) => supportedCapabilities(p.capabilities()))
        .catch(() => [])
      return {
        name: descriptor.name,
        summary: descriptor.summary,
        plugin: origin.plugin,
        version: origin.version,
        type: origin.type,
        capabilities,
      }
    }),
  )
}
