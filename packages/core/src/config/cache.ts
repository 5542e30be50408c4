import { mkdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { writeFileAtomic } from '../util/atomic-file.js'
import {
  fromCacheEntry,
  isCacheEntry,
  toCacheEntry,
  type CacheEntry,
  type CachedConfig,
  type LoadedLayers,
} from './cache-entry.js'
import { CACHE_FORMAT, cacheKey, codeDigest, filesSettled, type CacheKeyInput } from './cache-key.js'
import { isPlainObject } from './tree.js'

/*
 * The validated-config cache, `$NEXUS_HOME/cache/config.json`: the last few loads that needed yaml and zod, keyed
 * by what they depended on, so that a command whose config files, NEXUS_* variables and flags did not change
 * imports neither. It only ever makes loading faster: every problem reading or writing it falls back to loading
 * the files, and a config that fails to load is never cached, so errors are reported the same way every time.
 */

/** Enough for a handful of repositories used in turn; each entry is a few kilobytes. */
const MAX_ENTRIES = 8

export interface ConfigCache {
  /** The cached config for the current inputs, environment references resolved, or null. */
  hit: CachedConfig | null
  /** Keeps a freshly loaded config for the next commands when it may be cached. Never throws. */
  remember(loaded: LoadedLayers): Promise<void>
}

const NO_CACHE: ConfigCache = { hit: null, remember: async () => {} }

export function configCacheFile(nexusHome: string): string {
  return join(nexusHome, 'cache', 'config.json')
}

/**
 * `loadStartedAtMs`: when the load began, before any config file was read. A result is only remembered when every
 * file was last modified well before that (cache-key.ts, filesSettled).
 */
export async function openConfigCache(
  nexusHome: string,
  input: CacheKeyInput,
  loadStartedAtMs: number,
): Promise<ConfigCache> {
  const digest = codeDigest()
  if (digest === null || input.files.some((file) => file.kind === 'unknown')) return NO_CACHE
  const key = cacheKey(input, digest)
  const file = configCacheFile(nexusHome)
  const entries = await readEntries(file)
  return {
    hit: hitFor(
      entries.find((entry) => entry.key === key),
      input.env,
    ),
    async remember(loaded) {
      if (!filesSettled(input.files, loadStartedAtMs)) return
      const entry = toCacheEntry(key, loaded, input.env)
      if (entry === null) return
      const kept = entries.filter((other) => other.key !== key)
      await writeEntries(file, [entry, ...kept].slice(0, MAX_ENTRIES))
    },
  }
}

function hitFor(entry: CacheEntry | undefined, env: Record<string, string | undefined>): CachedConfig | null {
  if (entry === undefined) return null
  try {
    return fromCacheEntry(entry, env)
  } catch {
    return null
  }
}

async function readEntries(file: string): Promise<CacheEntry[]> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'))
    if (!isPlainObject(parsed) || parsed.format !== CACHE_FORMAT || !Array.isArray(parsed.entries)) return []
    return parsed.entries.filter(isCacheEntry)
  } catch {
    // Missing, unreadable or corrupt: as if empty. The next write replaces it.
    return []
  }
}

async function writeEntries(file: string, entries: CacheEntry[]): Promise<void> {
  try {
    // The configs may hold values written literally in the user's files: readable by the user only.
    await mkdir(dirname(file), { recursive: true, mode: 0o700 })
    await writeFileAtomic(file, `${JSON.stringify({ format: CACHE_FORMAT, entries })}\n`, 0o600)
  } catch {
    // A read-only NEXUS_HOME, a full disk: the command goes on uncached.
  }
}
