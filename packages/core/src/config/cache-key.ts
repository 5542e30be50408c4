import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, type BigIntStats } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { errnoCode, type ConfigSource } from './config-errors.js'
import { CONFIG_ENV_VARS } from './env-vars.js'
import { withoutUndefined } from './tree.js'
import type { ConfigLocations } from './types.js'

/*
 * The key of a cached config: everything the validated result depends on, so that an unchanged key means the slow
 * path would produce the same result again. Computed on every command from one `stat` per config file, never a read.
 */

type Env = Record<string, string | undefined>
export type FileSource = ConfigSource & { file: string }

/** Bumped when the cache file's layout or the meaning of its entries changes. */
export const CACHE_FORMAT = 1

/** What one `stat` says about a config file. `unknown` (a stat error such as EACCES) leaves the slow path to say. */
export type ConfigFileState =
  | { source: FileSource; kind: 'absent' }
  | { source: FileSource; kind: 'present'; stats: BigIntStats }
  | { source: FileSource; kind: 'unknown' }

export interface CacheKeyInput {
  files: readonly ConfigFileState[]
  home: string
  cwd: string
  env: Env
  flags: Record<string, unknown> | undefined
}

/** The system, user and (when the search found one) project file, lowest precedence first. */
export async function statConfigFiles(locations: ConfigLocations): Promise<ConfigFileState[]> {
  const sources: FileSource[] = [
    { scope: 'system', file: locations.systemFile },
    { scope: 'user', file: locations.userFile },
  ]
  if (locations.projectFile !== null) sources.push({ scope: 'project', file: locations.projectFile })
  return Promise.all(sources.map(statConfigFile))
}

async function statConfigFile(source: FileSource): Promise<ConfigFileState> {
  try {
    return { source, kind: 'present', stats: await stat(source.file, { bigint: true }) }
  } catch (error) {
    const code = errnoCode(error)
    return code === 'ENOENT' || code === 'ENOTDIR' ? { source, kind: 'absent' } : { source, kind: 'unknown' }
  }
}

/** sha256 of every input of the slow path but the file contents, which the stat data stands in for. */
export function cacheKey(input: CacheKeyInput, codeDigest: string): string {
  const files = input.files.map(({ source, ...state }) => [
    source.scope,
    source.file,
    state.kind === 'present' ? statParts(state.stats) : state.kind,
  ])
  const flags =
    input.flags === undefined ? null : [JSON.stringify(withoutUndefined(input.flags)), resolve(input.cwd)]
  const material = [
    CACHE_FORMAT,
    codeDigest,
    files,
    // `~/` in env_files resolves against it.
    input.home,
    CONFIG_ENV_VARS.map(({ envVar }) => input.env[envVar] ?? null),
    flags,
  ]
  return createHash('sha256').update(JSON.stringify(material)).digest('hex')
}

// Nanoseconds: an edit within the same millisecond still changes the key on filesystems that keep them.
function statParts(stats: BigIntStats): string[] {
  const parts = [stats.dev, stats.ino, stats.size, stats.mtimeNs, stats.ctimeNs]
  return [stats.isFile() ? 'file' : 'other', ...parts.map(String)]
}

/**
 * File timestamps come from a coarse clock (a few milliseconds on Linux, a second or two on some filesystems): a
 * file read in the same tick as it was written can change again and keep its size and times. As git does for its
 * index, nothing is cached for a file modified that shortly before it was read; a later command caches it.
 */
const SETTLE_WINDOW_NS = 2_000_000_000n

/** Whether every present file was last modified well before `readAfterMs`, a time before any file was read. */
export function filesSettled(files: readonly ConfigFileState[], readAfterMs: number): boolean {
  const readAfter = BigInt(readAfterMs) * 1_000_000n
  return files.every(
    (state) => state.kind !== 'present' || readAfter - state.stats.mtimeNs >= SETTLE_WINDOW_NS,
  )
}

let digest: string | null | undefined

/**
 * A digest of the modules beside this one as they are on disk: the `.ts` sources of this directory under tsx and
 * vitest, and once built, the files of core's bundle (`dist/bundle/*.js`, ≈ 250 KB: all of core, a superset of the
 * config code). The schema, the built-in defaults, parsing, migration and merging all live in them, so any change
 * to them changes every key with nothing to remember to bump (a constant or the package version would not change
 * on every edit in development). About a millisecond, once per process. Null when the directory cannot be read:
 * then nothing is cached.
 */
export function codeDigest(): string | null {
  if (digest !== undefined) return digest
  try {
    const hash = createHash('sha256')
    for (const file of digestedModules()) {
      hash
        .update(`${basename(file)}\0`)
        .update(readFileSync(file))
        .update('\0')
    }
    digest = hash.digest('hex')
  } catch {
    digest = null
  }
  return digest
}

/** The module files codeDigest reads: those beside this module, tests and type declarations left out. */
export function digestedModules(): string[] {
  const dir = dirname(fileURLToPath(import.meta.url))
  return readdirSync(dir)
    .filter(isModuleSource)
    .sort()
    .map((name) => join(dir, name))
}

function isModuleSource(name: string): boolean {
  return /\.[cm]?[jt]s$/.test(name) && !/\.d\.[cm]?ts$/.test(name) && !/\.test\.[cm]?[jt]s$/.test(name)
}
