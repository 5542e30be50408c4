import { dirname, resolve } from 'node:path'
import type { ConfigSource } from './config-errors.js'
import { resolveReferences } from './interpolate.js'
import { migrateToV2 } from './migrate.js'
import { withoutUndefined, type ConfigTree } from './tree.js'
import { validateLayer } from './validate.js'
import { parseConfigText } from './yaml-text.js'

/*
 * Turning each layer's raw input into checked config data. This module imports yaml and zod, so load.ts imports
 * it only once some layer (a file, the flags, a NEXUS_* variable) has content.
 */

export { parseMerged, validateLayer } from './validate.js'

type Env = Record<string, string | undefined>

export interface FileLayer {
  /** checked data, environment references resolved */
  data: ConfigTree
  /** the same data as written, references unresolved: what the config cache may keep */
  unresolved: ConfigTree
}

export function fileLayer(
  text: string,
  source: ConfigSource & { file: string },
  env: Env,
  home: string,
): FileLayer {
  const unresolved = migrateToV2(parseConfigText(text, source), source)
  const resolved = resolveReferences(unresolved, env) as ConfigTree
  const data = withAbsoluteEnvFiles(resolved, dirname(source.file), home)
  validateLayer(data, source)
  return { data, unresolved }
}

export function flagsLayer(flags: Record<string, unknown>, cwd: string, home: string): ConfigTree {
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
