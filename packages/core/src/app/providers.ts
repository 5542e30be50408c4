import { PROVIDER_API_VERSION, type ProviderDescriptor, type RegisteredProvider } from '../provider/index.js'
import type { HookRunner, PluginInfo } from './types.js'

export const PROVIDERS_HOOK = 'nexus:providers'
const HOOK_TIMEOUT_MS = 10_000

/** Bundled (core) plugins first: a user-installed plugin cannot take over a built-in backend's name. */
const TYPE_ORDER: Record<string, number> = { core: 0, dev: 1, link: 2, user: 3 }

function descriptorProblems(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a provider entry is not an object'
  const record = value as Record<string, unknown>
  if (typeof record.name !== 'string' || record.name.length === 0) return 'a provider entry has no name'
  if (typeof record.load !== 'function') return `provider "${record.name}" has no load()`
  if (record.apiVersion !== PROVIDER_API_VERSION)
    return `provider "${record.name}" speaks apiVersion ${String(record.apiVersion)}, this nexus speaks ${PROVIDER_API_VERSION}`
  return undefined
}

/**
 * Asks every installed plugin for its providers through the `nexus:providers` hook. Errors are captured: a broken
 * third-party plugin becomes a warning and every other backend keeps working.
 */
export async function discoverProviders(
  hooks: HookRunner,
): Promise<{ registered: RegisteredProvider[]; warnings: string[] }> {
  const outcome = await hooks.runHook(
    PROVIDERS_HOOK,
    { apiVersion: PROVIDER_API_VERSION },
    HOOK_TIMEOUT_MS,
    true,
  )
  const warnings = outcome.failures.map(
    ({ plugin, error }) =>
      `Plugin ${plugin.name} failed to register its providers and was skipped: ${error.message.split('\n')[0]}`,
  )
  const registered: RegisteredProvider[] = []
  const successes = [...outcome.successes].sort(
    (a, b) => (TYPE_ORDER[a.plugin.type] ?? 9) - (TYPE_ORDER[b.plugin.type] ?? 9),
  )
  for (const { plugin, result } of successes) {
    if (result === undefined || result === null) continue
    const providers = (result as { providers?: unknown }).providers
    if (
      (result as { apiVersion?: unknown }).apiVersion !== PROVIDER_API_VERSION ||
      !Array.isArray(providers)
    ) {
      warnings.push(
        `Plugin ${plugin.name} returned no valid provider registration (apiVersion ${PROVIDER_API_VERSION}) and was skipped.`,
      )
      continue
    }
    for (const descriptor of providers) {
      const problem = descriptorProblems(descriptor)
      if (problem) {
        warnings.push(`Plugin ${plugin.name}: ${problem}; skipped.`)
        continue
      }
      const typed = descriptor as ProviderDescriptor
      const clash = registered.find((r) => r.descriptor.name === typed.name)
      if (clash) {
        warnings.push(
          `Plugin ${plugin.name} registers backend "${typed.name}", already provided by ${clash.origin.plugin}; ignored.`,
        )
        continue
      }
      registered.push({ descriptor: typed, origin: origin(plugin) })
    }
  }
  return { registered, warnings }
}

function origin(plugin: PluginInfo): RegisteredProvider['origin'] {
  return { plugin: plugin.name, version: plugin.version, type: plugin.type }
}
