import { NexusError } from '../errors/index.js'
import { TOP_LEVEL_KEYS } from './defaults.js'

/**
 * Splits a dotted key path (`defaults.backend`, `backends.docker.image`) and checks its top-level key. Deeper keys
 * are checked by the schema against the whole resulting file, since `backends`, `env`, `ports` and `services` take
 * names of the user's choosing.
 */
export function parseKeyPath(keyPath: string, options: { allowUnknownTopLevel?: boolean } = {}): string[] {
  const segments = keyPath.split('.')
  if (keyPath.trim() === '' || segments.some((segment) => segment.trim() === '')) {
    throw new NexusError('CONFIG_INVALID', `"${keyPath}" is not a config key path.`, {
      suggestion:
        'Write key paths as dot-separated keys, for example `defaults.backend`; `nexus config list` shows them all.',
      details: { keyPath },
    })
  }
  const [topLevel = ''] = segments
  if (!options.allowUnknownTopLevel && !TOP_LEVEL_KEYS.includes(topLevel)) throw unknownKeyPathError(keyPath)
  return segments
}

export function unknownKeyPathError(keyPath: string): NexusError {
  return new NexusError('CONFIG_INVALID', `Unknown config key "${keyPath}".`, {
    suggestion: `Use a key under one of: ${TOP_LEVEL_KEYS.join(', ')}; \`nexus config list\` shows every key.`,
    details: { keyPath, validTopLevelKeys: [...TOP_LEVEL_KEYS] },
  })
}
