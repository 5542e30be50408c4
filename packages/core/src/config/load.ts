import { readFile } from 'node:fs/promises'
import { openConfigCache } from './cache.js'
import type { LoadedLayers } from './cache-entry.js'
import { statConfigFiles, type ConfigFileState, type FileSource } from './cache-key.js'
import { errnoCode, isPermissionError, malformedFileError, permissionDeniedError } from './config-errors.js'
import { builtInDefaults } from './defaults.js'
import { envLayers } from './env-vars.js'
import { parseKeyPath } from './key-paths.js'
import { onFirstUse } from './lazy.js'
import { homeDirectory, locateConfig } from './locations.js'
import { HIDDEN_VALUE, isSecretKeyPath, referencedKeyPaths } from './secrets.js'
import {
  deepMerge,
  flattenLeaves,
  getAtPath,
  isPlainObject,
  withoutUndefined,
  type ConfigTree,
} from './tree.js'
import type { ConfigOrigin, LoadedConfig } from './types.js'

type Env = Record<string, string | undefined>

export interface LoadConfigOptions {
  cwd: string
  env: Env
  /** nested partial config from CLI flags */
  flags?: Record<string, unknown>
}

interface Layer {
  origin: ConfigOrigin
  data: ConfigTree
}

const layerParsing = onFirstUse(() => import('./layers.js'))

/**
 * Loads and merges every layer, lowest precedence first: built-in defaults, system file, user file, project file,
 * CLI flags, `NEXUS_*` variables. Runs on every command, so it reads at most the three files and nothing else, and
 * imports the YAML parser and the schema only when some layer has content and the config cache (cache.ts) has no
 * result for the files' current stat data, the variables and the flags.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const { cwd, env, flags } = options
  const startedAt = Date.now()
  const { locations, projectText } = await locateConfig(cwd, env)
  // Stat the system and user files before reading them, so that a change in between changes the key rather than
  // being cached under the old one. The search has read the project file already: a change to it since then is
  // so recent that the cache does not keep the result (filesSettled).
  const files = await statConfigFiles(locations)
  if (files.every((file) => file.kind === 'absent') && !hasFlagValues(flags) && envLayers(env).length === 0) {
    const defaults = builtInDefaults()
    return {
      config: defaults,
      locations,
      origins: leafOrigins([{ origin: { scope: 'default' }, data: defaults }]),
    }
  }

  const home = homeDirectory(env)
  const cache = await openConfigCache(locations.nexusHome, { files, home, cwd, env, flags }, startedAt)
  if (cache.hit !== null) return { ...cache.hit, locations }
  const loaded = await loadLayers(options, await readConfigFiles(files, projectText), home)
  await cache.remember(loaded)
  return { config: loaded.config, locations, origins: loaded.origins, referenced: loaded.referenced }
}

/** The slow path: parses and checks each layer (yaml and zod), then merges them. */
async function loadLayers(
  options: LoadConfigOptions,
  files: ReadonlyArray<[FileSource, string]>,
  home: string,
): Promise<LoadedLayers> {
  const { cwd, env } = options
  const { fileLayer, flagsLayer, parseMerged, validateLayer } = await layerParsing()
  const layers: Layer[] = [{ origin: { scope: 'default' }, data: builtInDefaults() }]
  const fileLayers: LoadedLayers['fileLayers'] = []
  for (const [source, text] of files) {
    const { data, unresolved } = fileLayer(text, source, env, home)
    layers.push({ origin: source, data })
    fileLayers.push({ origin: source, unresolved })
  }
  if (options.flags !== undefined)
    layers.push({ origin: { scope: 'flags' }, data: flagsLayer(options.flags, cwd, home) })
  for (const { envVar, data } of envLayers(env)) {
    const origin: ConfigOrigin = { scope: 'env', envVar }
    validateLayer(data, origin)
    layers.push({ origin, data })
  }

  const merged = layers.reduce<ConfigTree>((result, layer) => deepMerge(result, layer.data), {})
  const origins = leafOrigins(layers)
  const config = parseMerged(merged, (keyPath) => origins.get(keyPath) ?? { scope: 'default' })
  // A higher layer may replace a subtree of a free-form backend section: keep origins of surviving leaves only.
  const leaves = new Set(flattenLeaves(config).map(([key]) => key))
  for (const key of origins.keys()) if (!leaves.has(key)) origins.delete(key)
  return { config, origins, fileLayers, referenced: referencedKeyPaths(fileLayers, origins) }
}

export function getConfigValue(
  loaded: LoadedConfig,
  keyPath: string,
): { value: unknown; origin: ConfigOrigin | undefined } {
  const segments = parseKeyPath(keyPath)
  return { value: getAtPath(loaded.config, segments), origin: loaded.origins.get(keyPath) }
}

/**
 * Every leaf (scalars and lists) with its value and origin, sorted by key path. Values that may be secrets (env
 * maps, credential-like keys, anything read from an environment variable) are hidden: a listing ends up in
 * terminals, logs and bug reports. `getConfigValue` still returns them, for `nexus config get <key>`.
 */
export function listConfig(
  loaded: LoadedConfig,
): Array<{ key: string; value: unknown; origin: ConfigOrigin }> {
  return flattenLeaves(loaded.config)
    .map(([key, value]) => ({
      key,
      value: isSecretKeyPath(key, loaded.referenced) ? HIDDEN_VALUE : value,
      origin: loaded.origins.get(key) ?? { scope: 'default' as const },
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

/** The text of each config file that exists (or whose stat failed: reading it reports why), in layer order. */
async function readConfigFiles(
  files: readonly ConfigFileState[],
  projectText: string | null,
): Promise<Array<[FileSource, string]>> {
  const texts = await Promise.all(
    files.map(async ({ source, kind }) => {
      if (kind === 'absent') return null
      // The project search has read it already.
      const text = source.scope === 'project' ? projectText : await readConfigFile(source)
      return text === null ? null : ([source, text] as [FileSource, string])
    }),
  )
  return texts.filter((entry) => entry !== null)
}

// Flags not given are undefined. A tree left empty without them adds nothing and cannot be invalid; anything
// else, even an empty section, is validated as before.
function hasFlagValues(flags: Record<string, unknown> | undefined): boolean {
  return flags !== undefined && Object.keys(withoutUndefined(flags)).length > 0
}

async function readConfigFile(source: FileSource): Promise<string | null> {
  try {
    return await readFile(source.file, 'utf8')
  } catch (error) {
    const code = errnoCode(error)
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    if (isPermissionError(error)) throw permissionDeniedError(source, 'read', error)
    if (code === 'EISDIR') throw malformedFileError(source, 'it is a directory, not a file')
    throw error
  }
}

function leafOrigins(layers: readonly Layer[]): Map<string, ConfigOrigin> {
  const origins = new Map<string, ConfigOrigin>()
  for (const layer of layers) {
    if (!isPlainObject(layer.data)) continue
    for (const [key] of flattenLeaves(layer.data)) origins.set(key, layer.origin)
  }
  return origins
}
