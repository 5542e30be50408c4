import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { NexusError } from '../../errors/index.js'

/**
 * A throwaway machine layout for config tests: a home directory, a system config location and a git-looking
 * repository, all under one temp dir. `env` points nexus at them, so no test touches the real ~/.nexus or /etc.
 */
export interface ConfigFixture {
  root: string
  home: string
  repo: string
  systemFile: string
  userFile: string
  projectFile: string
  env: Record<string, string | undefined>
  write(path: string, text: string): Promise<string>
  /**
   * Writes a file dated `ageSeconds` ago. The config cache skips files modified in the last moments (their stat
   * data could hide a second change), so tests that expect a cache entry write their files this way.
   */
  writeSettled(path: string, text: string, ageSeconds?: number): Promise<string>
  cleanup(): Promise<void>
}

export async function makeConfigFixture(): Promise<ConfigFixture> {
  const root = await mkdtemp(join(tmpdir(), 'nexus-config-'))
  const home = join(root, 'home')
  const repo = join(home, 'projects', 'app')
  await mkdir(join(repo, '.git'), { recursive: true })
  const systemFile = join(root, 'etc', 'nexus', 'config.yaml')
  const write = async (path: string, text: string): Promise<string> => {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, text)
    return path
  }
  return {
    root,
    home,
    repo,
    systemFile,
    userFile: join(home, '.nexus', 'config.yaml'),
    projectFile: join(repo, '.nexus', 'config.yaml'),
    env: { HOME: home, NEXUS_SYSTEM_CONFIG: systemFile },
    write,
    async writeSettled(path, text, ageSeconds = 3600) {
      await write(path, text)
      const past = new Date(Date.now() - ageSeconds * 1000)
      await utimes(path, past, past)
      return path
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  }
}

/** The rejection of a promise that must fail, for asserting on the error's fields. */
export async function rejectionOf(promise: Promise<unknown>): Promise<NexusError> {
  try {
    await promise
  } catch (error) {
    return error as NexusError
  }
  throw new Error('expected the promise to reject')
}
