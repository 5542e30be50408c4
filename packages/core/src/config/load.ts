import { readFile } from 'node:fs/promises'
import {
  errnoCode,
  isPermissionError,
  malformedFileError,
  permissionDeniedError,
  type ConfigSource,
} from './config-errors.js'
import { builtInDefaults } from './defaults.js'
import { envLayers } from './env-vars.js'
import { parseKeyPath } from './key-paths.js'
import { onFirstUse } from './lazy.js'
import { homeDirectory, locateConfig } from './locations.js'
import {
  deepMerge,
  flattenLeaves,
  getAtPath,
  isPlainObject,
  withoutUndefined,
  type ConfigTree,
} from './tree.js'
import type { ConfigLocations, ConfigOrigin, LoadedConfig } from './types.js'

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

type FileSource = ConfigSource & { file: string }

const layerParsing = onFirstUse(() => import('./layers.js'))

/**
 * Loads and merges every layer, lowest precedence first: built-in defaults, system file, user file, project file,
 * CLI flags, `NEXUS_*` variables. Runs on every command, so it reads at most the three files and nothing else, and
 * imports the YAML parser and the schema only when some layer has content.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const { cwd, env } = options
  const { locations, projectText } = await locateConfig(cwd, env)
  const files = await readConfigFiles(locations, projectText)
  const variables = envLayers(env)
  const defaults = builtInDefaults()
  const layers: Layer[] = [{ origin: { scope: 'default' }, data: defaults }]
  if (files.length === 0 && !hasFlagValues(options.flags) && variables.length === 0) {
    return { config: defaults, locations, origins: leafOrigins(layers) }
  }

  const { fileLayer, flagsLayer, parseMerged, validateLayer } = await layerParsing()
  const home = homeDirectory(env)
  for (const [source, text] of files)
    layers.push({ origin: source, data: fileLayer(text, source, env, home) })
  if (options.flags !== undefined)
    layers.push({ origin: { scope: 'flags' }, data: flagsLayer(options.flags, cwd, home) })
  for (const { envVar, data } of variables) {
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
  return { config, locations, origins }
}

export function getConfigValue(
  loaded: LoadedConfig,
  keyPath: string,
): { value: unknown; origin: ConfigOrigin | undefined } {
  const segments = parseKeyPath(keyPath)
  return { value: getAtPath(loaded.config, segments), origin: loaded.origins.get(keyPath) }
}

/** Every leaf (scalars and lists) with its value and origin, sorted by key path. */
export function listConfig(
  loaded: LoadedConfig,
): Array<{ key: string; value: unknown; origin: ConfigOrigin }> {
  return flattenLeaves(loaded.config)
    .map(([key, value]) => ({ key, value, origin: loaded.origins.get(key) ?? { scope: 'default' as const } }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

/** The system, user and project files that exist, with their text, lowest precedence first. */
async function readConfigFiles(
  locations: ConfigLocations,
  projectText: string | null,
): Promise<Array<[FileSource, string]>> {
  const system: FileSource = { scope: 'system', file: locations.systemFile }
  const user: FileSource = { scope: 'user', file: locations.userFile }
  const [systemText, userText] = await Promise.all([readConfigFile(system), readConfigFile(user)])
  const files: Array<[FileSource, string | null]> = [
    [system, systemText],
    [user, userText],
  ]
  if (locations.projectFile !== null)
    files.push([{ scope: 'project', file: locations.projectFile }, projectText])
  return files.filter((entry): entry is [FileSource, string] => entry[1] !== null)
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
