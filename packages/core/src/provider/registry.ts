import { NexusError, describeError } from '../errors/index.js'
import {
  PROVIDER_API_VERSION,
  type Provider,
  type ProviderContext,
  type ProviderDescriptor,
  type ProviderFactory,
} from './contract.js'

/** Where a provider came from, for `nexus provider list`. */
export interface ProviderOrigin {
  plugin: string
  version: string
  /** oclif's plugin type: core (bundled), user (installed), link (linked), dev. */
  type: string
}

export interface RegisteredProvider {
  descriptor: ProviderDescriptor
  origin: ProviderOrigin
}

const REQUIRED_METHODS = [
  'capabilities',
  'operations',
  'create',
  'start',
  'stop',
  'pause',
  'resume',
  'destroy',
  'inspect',
  'list',
  'sshEndpoint',
  'health',
  'runOperation',
] as const

/**
 * Checks a value from another plugin against the contract by shape (never `instanceof`: the plugin has its own
 * copy of core). Returns the reasons it does not fit.
 */
export function providerShapeProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['is not an object']
  const record = value as Record<string, unknown>
  const problems: string[] = []
  if (record.apiVersion !== PROVIDER_API_VERSION)
    problems.push(`has apiVersion ${String(record.apiVersion)}, expected ${PROVIDER_API_VERSION}`)
  if (typeof record.name !== 'string') problems.push('has no name')
  for (const method of REQUIRED_METHODS) {
    if (typeof record[method] !== 'function') problems.push(`lacks ${method}()`)
  }
  return problems
}

function isFactory(value: unknown): value is ProviderFactory {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return typeof record.create === 'function' && typeof record.name === 'string'
}

/**
 * The providers installed in this CLI, by backend name. Descriptors are cheap; a provider's code (and its SDK) is
 * imported the first time that backend is used, and the instance is kept for the rest of the process.
 */
export class ProviderRegistry {
  private readonly entries = new Map<string, RegisteredProvider>()
  private readonly instances = new Map<string, Promise<Provider>>()

  constructor(
    registered: RegisteredProvider[],
    private readonly contextFor: (name: string) => ProviderContext,
  ) {
    // First registration of a name wins; the CLI orders core plugins before user ones.
    for (const entry of registered) {
      if (!this.entries.has(entry.descriptor.name)) this.entries.set(entry.descriptor.name, entry)
    }
  }

  names(): string[] {
    return [...this.entries.keys()].sort()
  }

  all(): RegisteredProvider[] {
    return this.names().map((name) => this.entries.get(name) as RegisteredProvider)
  }

  has(name: string): boolean {
    return this.entries.has(name)
  }

  entry(name: string): RegisteredProvider {
    const entry = this.entries.get(name)
    if (!entry) {
      const installed = this.names()
      throw new NexusError('BACKEND_NOT_FOUND', `No provider for backend "${name}" is installed.`, {
        suggestion: installed.length
          ? `Use one of: ${installed.join(', ')} — or install one with \`nexus plugins install <package>\`.`
          : 'Install a provider plugin with `nexus plugins install <package>`.',
        details: { backend: name, installed },
      })
    }
    return entry
  }

  get(name: string): Promise<Provider> {
    let instance = this.instances.get(name)
    if (!instance) {
      instance = this.instantiate(name)
      this.instances.set(name, instance)
      // A failed load may be fixed by the user (config, env) within the same process in tests: don't cache it.
      instance.catch(() => this.instances.delete(name))
    }
    return instance
  }

  private async instantiate(name: string): Promise<Provider> {
    const { descriptor, origin } = this.entry(name)
    let loaded: unknown
    try {
      loaded = await descriptor.load()
    } catch (error) {
      throw new NexusError(
        'PROVIDER_INCOMPATIBLE',
        `The ${name} provider (${origin.plugin}) failed to load.`,
        {
          suggestion: `Reinstall it (\`nexus plugins install ${origin.plugin}\`) or run \`nexus doctor\`. Cause: ${describeError(error)}`,
          cause: error,
        },
      )
    }
    const factory = isFactory(loaded)
      ? loaded
      : isFactory((loaded as { default?: unknown } | null)?.default)
        ? (loaded as { default: ProviderFactory }).default
        : undefined
    if (!factory) {
      throw new NexusError(
        'PROVIDER_INCOMPATIBLE',
        `The ${name} provider (${origin.plugin}) exports no provider factory.`,
        {
          suggestion:
            'Its load() must resolve to the result of defineProvider(); see docs/writing-a-provider.md.',
        },
      )
    }
    const provider = await factory.create(this.contextFor(name))
    const problems = providerShapeProblems(provider)
    if (problems.length > 0) {
      throw new NexusError(
        'PROVIDER_INCOMPATIBLE',
        `The ${name} provider (${origin.plugin}) does not fit the provider contract: it ${problems.join(', ')}.`,
        {
          suggestion: `Update the plugin (\`nexus plugins update\`) or ask its authors to run the conformance suite.`,
        },
      )
    }
    return provider
  }
}
