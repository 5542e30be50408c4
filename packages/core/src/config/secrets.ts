import { hasReference } from './interpolate.js'
import { flattenLeaves, type ConfigTree } from './tree.js'
import type { ConfigOrigin } from './types.js'

/** What `nexus config list` shows instead of a value that may be a secret; `nexus config get <key>` shows it. */
export const HIDDEN_VALUE = '(hidden)'

// Workspace env maps hold API tokens by design; a backend key named like a credential holds one too.
const SECRET_KEY_PATHS = [/^env\./, /^services\..+\.env\./]
const SECRET_KEY_NAME = /(token|secret|password|passwd|credential|api_?key|private_?key)[^.]*$/i

function holdsReference(value: unknown): boolean {
  if (typeof value === 'string') return hasReference(value)
  return Array.isArray(value) && value.some(holdsReference)
}

/**
 * Key paths whose value in effect was read from the environment (`${VAR}`, `env:VAR`): whatever the key is called,
 * the value is someone's variable, and may be a secret. Only a layer's own winning leaves count.
 */
export function referencedKeyPaths(
  fileLayers: ReadonlyArray<{ origin: ConfigOrigin; unresolved: ConfigTree }>,
  origins: ReadonlyMap<string, ConfigOrigin>,
): Set<string> {
  const referenced = new Set<string>()
  for (const layer of fileLayers) {
    for (const [keyPath, value] of flattenLeaves(layer.unresolved)) {
      if (holdsReference(value) && origins.get(keyPath) === layer.origin) referenced.add(keyPath)
    }
  }
  return referenced
}

export function isSecretKeyPath(keyPath: string, referenced: ReadonlySet<string> | undefined): boolean {
  return (
    SECRET_KEY_PATHS.some((pattern) => pattern.test(keyPath)) ||
    SECRET_KEY_NAME.test(keyPath.split('.').pop() ?? '') ||
    (referenced?.has(keyPath) ?? false)
  )
}
