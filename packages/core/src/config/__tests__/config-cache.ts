import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { configCacheFile } from '../cache.js'
import type { ConfigFixture } from './fixture.js'

/** The parts of `$NEXUS_HOME/cache/config.json` that the cache tests look at or change. */
export interface CacheFileContent {
  format: number
  entries: Array<{ key: string; config: { backends: Record<string, Record<string, unknown>> } }>
}

/** Where the fixture's loads keep their cache: its env leaves NEXUS_HOME at `~/.nexus`. */
export function fixtureCacheFile(fx: ConfigFixture): string {
  return configCacheFile(join(fx.home, '.nexus'))
}

export async function readCache(file: string): Promise<CacheFileContent> {
  return JSON.parse(await readFile(file, 'utf8')) as CacheFileContent
}

/**
 * Marks every cached config with a value no file holds (`backends.docker.base_image: from-cache`), so that seeing
 * it proves a load was answered from the cache, and not seeing it proves the files were loaded again.
 */
export async function poisonCache(file: string): Promise<void> {
  const content = await readCache(file)
  for (const entry of content.entries) {
    entry.config.backends.docker = { ...entry.config.backends.docker, base_image: 'from-cache' }
  }
  await writeFile(file, JSON.stringify(content))
}

/** A system, a user and a project file, each with something to merge, dated an hour ago. */
export async function writeAllFiles(fx: ConfigFixture): Promise<void> {
  await fx.writeSettled(fx.systemFile, 'defaults: {resources: medium}\nlifecycle: {stop_grace_seconds: 4}\n')
  await fx.writeSettled(fx.userFile, 'backends: {docker: {base_image: "img:1"}}\nenv: {PORT: 3000}\n')
  await fx.writeSettled(
    fx.projectFile,
    'exec: {transport: ssh}\nenv_files: [~/.env.shared]\nports: {web: {container: 3000}}\n',
  )
}
