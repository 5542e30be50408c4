import { NexusError, type Capabilities, type JsonObject } from '@nexus/core'

/** What the mock can really do. No ssh: it runs no SSH server, and claiming one would be a lie tests believe. */
export const MOCK_DEFAULT_CAPABILITIES = {
  ssh: false,
  exec: true,
  pause: true,
  snapshots: true,
  logs: true,
} as const

/** The capabilities config may switch; everything else the mock cannot provide, so it may only stay off. */
const SWITCHABLE = new Set(['exec', 'pause', 'snapshots', 'logs'])

/**
 * Defaults overridden by `backends.mock.capabilities` (e.g. `{ pause: false }`), so tests and demos can see how
 * nexus behaves with a backend that lacks something.
 */
export function resolveCapabilities(config: JsonObject): Capabilities {
  const overrides = config.capabilities
  if (overrides === undefined || overrides === null) return { ...MOCK_DEFAULT_CAPABILITIES }
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new NexusError(
      'CONFIG_INVALID',
      '`backends.mock.capabilities` must map capability names to true or false.',
      {
        suggestion:
          'Write it as, e.g., `backends: { mock: { capabilities: { pause: false } } }` in your nexus config.',
      },
    )
  }
  const resolved: Capabilities = { ...MOCK_DEFAULT_CAPABILITIES }
  for (const [name, enabled] of Object.entries(overrides)) {
    if (typeof enabled !== 'boolean') {
      throw new NexusError(
        'CONFIG_INVALID',
        `\`backends.mock.capabilities.${name}\` must be true or false, not ${JSON.stringify(enabled)}.`,
        {
          suggestion: `Set it to true or false, e.g. \`${name}: false\`.`,
        },
      )
    }
    if (enabled && !SWITCHABLE.has(name)) {
      throw new NexusError(
        'CONFIG_INVALID',
        `The mock backend cannot provide "${name}", so it cannot be switched on.`,
        {
          suggestion: `Remove \`backends.mock.capabilities.${name}\`; the mock can switch ${[...SWITCHABLE].join(', ')}.`,
        },
      )
    }
    resolved[name] = enabled
  }
  return resolved
}
