import { isMap, type Document } from 'yaml'
import { configProblemError, type ConfigSource } from './config-errors.js'
import { isPlainObject, type ConfigTree } from './tree.js'

/**
 * Version 1 files put the default backend and resource class at the top level (`backend: docker`,
 * `resources: small`); version 2 keeps them under `defaults:`. Nothing else changed.
 */
const MOVED_V1_KEYS = ['backend', 'resources'] as const

type FileVersion = 1 | 2

function fileVersion(raw: unknown, source: ConfigSource): FileVersion {
  if (raw === undefined || raw === null || raw === '2' || raw === 2) return 2
  if (raw === '1' || raw === 1) return 1
  throw configProblemError(source, [
    { keyPath: 'version', expected: 'expected "2" (or "1", which is migrated)' },
  ])
}

/**
 * The data of any supported file version as version 2, without its `version` key (the merged config always says
 * "2"). When a version 1 file also spells a key the version 2 way, the version 2 spelling wins: that is what
 * `nexus config set defaults.backend …` writes into an old file.
 */
export function migrateToV2(data: ConfigTree, source: ConfigSource): ConfigTree {
  const { version, ...rest } = data
  if (fileVersion(version, source) === 2) return rest
  const moved = Object.fromEntries(
    MOVED_V1_KEYS.filter((key) => rest[key] !== undefined).map((key) => [key, rest[key]]),
  )
  const remaining = Object.fromEntries(
    Object.entries(rest).filter(([key]) => !(MOVED_V1_KEYS as readonly string[]).includes(key)),
  )
  if (Object.keys(moved).length === 0) return remaining
  const defaults = remaining.defaults
  // A non-mapping `defaults` is left for the schema to report.
  if (defaults !== undefined && !isPlainObject(defaults)) return remaining
  return { ...remaining, defaults: { ...moved, ...defaults } }
}

/**
 * Upgrades a version 1 document to version 2 in place before `nexus config set|unset` writes it, keeping each
 * moved value's node (and so its comments). Returns whether anything changed.
 */
export function migrateDocumentToV2(doc: Document): boolean {
  // Any other bad version is left for validation to report, so that `nexus config unset version` can repair it.
  const version: unknown = doc.get('version')
  if (!isMap(doc.contents) || (version !== 1 && version !== '1')) return false
  for (const key of MOVED_V1_KEYS) {
    if (!doc.has(key)) continue
    const node: unknown = doc.get(key, true)
    doc.delete(key)
    if (!doc.hasIn(['defaults', key])) doc.setIn(['defaults', key], node)
  }
  doc.set('version', '2')
  return true
}
