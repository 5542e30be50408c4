import { isDeepStrictEqual } from 'node:util'
import { envLayers } from './env-vars.js'
import { hasReference, resolveReferences } from './interpolate.js'
import type { NexusConfig } from './schema.js'
import {
  getAtPath,
  isPlainObject,
  leavesWithSegments,
  replaceAtPath,
  splitKeyPath,
  type ConfigTree,
} from './tree.js'
import { CONFIG_SCOPES, type ConfigOrigin } from './types.js'

/*
 * What the config cache keeps of one load, and how a hit turns it back into exactly what the slow path returns.
 * Values from the environment are never kept: NEXUS_* leaves are stored as null and `${VAR}` / `env:VAR` leaves as
 * the text written in the file, and both are filled in from the current environment on every hit.
 */

type Env = Record<string, string | undefined>

export interface CacheEntry {
  key: string
  /** the merged, validated config, with null for NEXUS_* leaves and the template for each templated leaf */
  config: ConfigTree
  origins: Array<[string, ConfigOrigin]>
  /** key segments of the leaves under `backends.<name>` holding environment references */
  templates: string[][]
}

/** The slow path's result, with each file layer as written (references unresolved). */
export interface LoadedLayers {
  config: NexusConfig
  origins: Map<string, ConfigOrigin>
  referenced: ReadonlySet<string>
  fileLayers: Array<{ origin: ConfigOrigin; unresolved: ConfigTree }>
}

export interface CachedConfig {
  config: NexusConfig
  origins: Map<string, ConfigOrigin>
  referenced: ReadonlySet<string>
}

/**
 * The entry for a successful load, or null when the result cannot be cached. A reference outside
 * `backends.<name>` makes it uncacheable. Those sections are typed: whether the file is valid at all, and what
 * the schema makes of the value, depend on the referenced variable, which the key does not hold (it may be a
 * secret). Storing the resolved value would write that secret to disk; storing the reference would mean running
 * the schema on every hit, which is the cost the cache exists to avoid. Under `backends.<name>` any string is
 * valid and kept as it is, so resolving the stored template again on a hit gives exactly what the slow path gives.
 */
export function toCacheEntry(key: string, loaded: LoadedLayers, env: Env): CacheEntry | null {
  if (!loaded.fileLayers.every((layer) => referencesOnlyInBackends(layer.unresolved))) return null
  try {
    const config = JSON.parse(JSON.stringify(loaded.config)) as ConfigTree
    const origins = [...loaded.origins]
    for (const [keyPath, origin] of origins) {
      if (origin.scope === 'env') replaceAtPath(config, splitKeyPath(keyPath), null)
    }
    const templates: string[][] = []
    for (const layer of loaded.fileLayers) {
      const backends = layer.unresolved.backends
      if (!isPlainObject(backends)) continue
      for (const [segments, value] of leavesWithSegments(backends, ['backends'])) {
        // Only a leaf this file still sets: one that a higher layer overrides holds the higher layer's value.
        if (!containsReference(value) || loaded.origins.get(segments.join('.')) !== layer.origin) continue
        replaceAtPath(config, segments, value)
        templates.push(segments)
      }
    }
    const entry: CacheEntry = { key, config, origins, templates }
    return reproducesLoad(entry, loaded, env) ? entry : null
  } catch {
    return null
  }
}

/** The config a hit returns. Throws on an entry that does not fit the current environment (then: slow path). */
export function fromCacheEntry(entry: CacheEntry, env: Env): CachedConfig {
  const config = JSON.parse(JSON.stringify(entry.config)) as ConfigTree
  const variables = new Map(envLayers(env).map((layer) => [layer.envVar, layer.data]))
  for (const [keyPath, origin] of entry.origins) {
    if (origin.scope !== 'env') continue
    const data = variables.get(origin.envVar ?? '')
    if (data === undefined) throw new Error(`the cached config expects ${origin.envVar} to be set`)
    const segments = splitKeyPath(keyPath)
    replaceAtPath(config, segments, getAtPath(data, segments))
  }
  for (const segments of entry.templates) {
    replaceAtPath(config, segments, resolveReferences(getAtPath(config, segments), env))
  }
  // Only `backends.<name>` leaves can hold references in a cached load, and each of them is a template.
  const referenced = new Set(entry.templates.map((segments) => segments.join('.')))
  return { config: config as NexusConfig, origins: new Map(entry.origins), referenced }
}

/** Whether an entry read back from the file has the shape fromCacheEntry relies on. */
export function isCacheEntry(value: unknown): value is CacheEntry {
  return (
    isPlainObject(value) &&
    typeof value.key === 'string' &&
    isPlainObject(value.config) &&
    Array.isArray(value.origins) &&
    value.origins.every(isOriginEntry) &&
    Array.isArray(value.templates) &&
    value.templates.every(
      (segments) => Array.isArray(segments) && segments.length > 0 && segments.every(isString),
    )
  )
}

// The last guard against a cache that would answer differently from the slow path: the entry, as written and read
// back, must give the very same config (values, types, key order) and origins in the current environment.
function reproducesLoad(entry: CacheEntry, loaded: LoadedLayers, env: Env): boolean {
  const readBack: unknown = JSON.parse(JSON.stringify(entry))
  if (!isCacheEntry(readBack)) return false
  const again = fromCacheEntry(readBack, env)
  return (
    JSON.stringify(again.config) === JSON.stringify(loaded.config) &&
    isDeepStrictEqual(again.config, loaded.config) &&
    JSON.stringify([...again.origins]) === JSON.stringify([...loaded.origins])
  )
}

function referencesOnlyInBackends(tree: ConfigTree): boolean {
  return Object.entries(tree).every(([key, value]) => {
    if (key !== 'backends' || !isPlainObject(value)) return !containsReference(value)
    // `backends.<name>` itself must be a mapping: a reference there is invalid whatever it resolves to.
    return Object.values(value).every((section) => isPlainObject(section) || !containsReference(section))
  })
}

function containsReference(value: unknown): boolean {
  if (typeof value === 'string') return hasReference(value)
  if (Array.isArray(value)) return value.some(containsReference)
  if (isPlainObject(value)) return Object.values(value).some(containsReference)
  return false
}

function isOriginEntry(value: unknown): boolean {
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string') return false
  const origin: unknown = value[1]
  return (
    isPlainObject(origin) &&
    CONFIG_SCOPES.some((scope) => scope === origin.scope) &&
    (origin.file === undefined || typeof origin.file === 'string') &&
    (origin.envVar === undefined || typeof origin.envVar === 'string')
  )
}

function isString(value: unknown): value is string {
  return typeof value === 'string'
}
