import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import {
  errnoCode,
  isPermissionError,
  malformedFileError,
  permissionDeniedError,
  type ConfigSource,
} from './config-errors.js'
import { envLayers } from './env-vars.js'
import { resolveReferences } from './interpolate.js'
import { parseKeyPath } from './key-paths.js'
import { homeDirectory, locateConfig } from './locations.js'
import { migrateToV2 } from './migrate.js'
import { builtInDefaults } from './schema.js'
import {
  deepMerge,
  flattenLeaves,
  getAtPath,
  isPlainObject,
  withoutUndefined,
  type ConfigTree,
} from './tree.js'
import type { ConfigOrigin, LoadedConfig } from './types.js'
import { parseMerged, validateLayer } from './validate.js'
import { parseConfigText } from './yaml-text.js'

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

/**
 * Loads and merges every layer, lowest precedence first: built-in defaults, system file, user file, project file,
 * CLI flags, `NEXUS_*` variables. Runs on every command, so it reads at most the three files and nothing else.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const { cwd, env } = options
  const { locations, projectText } = await locateConfig(cwd, env)
  const [systemText, userText] = await Promise.all([
    readConfigFile({ scope: 'system', file: locations.systemFile }),
    readConfigFile({ scope: 'user', file: locations.userFile }),
  ])
  const home = homeDirectory(env)
  const files: Array<[ConfigSource & { file: string }, string | null]> = [
    [{ scope: 'system', file: locations.systemFile }, systemText],
    [{ scope: 'user', file: locations.userFile }, userText],
  ]
  if (locations.projectFile !== null)
    files.push([{ scope: 'project', file: locations.projectFile }, projectText])

  const layers: Layer[] = [{ origin: { scope: 'default' }, data: builtInDefaults() }]
  for (const [source, text] of files) {
    if (text !== null) layers.push({ origin: source, data: fileLayer(text, source, env, home) })
  }
  if (options.flags !== undefined)
    layers.push({ origin: { scope: 'flags' }, data: flagsLayer(options.flags, cwd, home) })
  for (const { envVar, data } of envLayers(env)) layers.push({ origin: { scope: 'env', envVar }, data })

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

async function readConfigFile(source: ConfigSource & { file: string }): Promise<string | null> {
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

function fileLayer(
  text: string,
  source: ConfigSource & { file: string },
  env: Env,
  home: string,
): ConfigTree {
  const data = resolveReferences(migrateToV2(parseConfigText(text, source), source), env) as ConfigTree
  const layer = withAbsoluteEnvFiles(data, dirname(source.file), home)
  validateLayer(layer, source)
  return layer
}

function flagsLayer(flags: Record<string, unknown>, cwd: string, home: string): ConfigTree {
  const source: ConfigSource = { scope: 'flags' }
  const layer = withAbsoluteEnvFiles(migrateToV2(withoutUndefined(flags), source), resolve(cwd), home)
  validateLayer(layer, source)
  return layer
}

/** `env_files` entries are relative to the file that names them (to the cwd for flags); `~/` is the home. */
function withAbsoluteEnvFiles(data: ConfigTree, baseDir: string, home: string): ConfigTree {
  const envFiles = data.env_files
  if (!Array.isArray(envFiles)) return data
  const absolute = envFiles.map((entry: unknown) => {
    if (typeof entry !== 'string' || entry === '') return entry
    if (entry === '~' || entry.startsWith('~/')) return resolve(home, entry.slice(2))
    return resolve(baseDir, entry)
  })
  return { ...data, env_files: absolute }
}

function leafOrigins(layers: readonly Layer[]): Map<string, ConfigOrigin> {
  const origins = new Map<string, ConfigOrigin>()
  for (const layer of layers) {
    if (!isPlainObject(layer.data)) continue
    for (const [key] of flattenLeaves(layer.data)) origins.set(key, layer.origin)
  }
  return origins
}
