import { readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { basename, dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path'
import type { LoaderSync } from 'cosmiconfig'
import { onFirstUse } from './lazy.js'
import type { ConfigLocations } from './types.js'

type Env = Record<string, string | undefined>

export const DEFAULT_SYSTEM_CONFIG_FILE = '/etc/nexus/config.yaml'
const PROJECT_FILE_NAMES = ['config.yaml', 'config.yml']
const PROJECT_SEARCH_PLACES = PROJECT_FILE_NAMES.map((name) => `.nexus/${name}`)
// Importing cosmiconfig costs a few milliseconds that commands which never load config should not pay.
const cosmiconfig = onFirstUse(() => import('cosmiconfig'))

export interface LocatedConfig {
  locations: ConfigLocations
  /** The project file's text, read once by the search so that loading does not read it again. */
  projectText: string | null
}

export async function resolveLocations(cwd: string, env: Env): Promise<ConfigLocations> {
  return (await locateConfig(cwd, env)).locations
}

export function homeDirectory(env: Env): string {
  return env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir()
}

export async function locateConfig(cwd: string, env: Env): Promise<LocatedConfig> {
  const from = resolve(cwd)
  const home = resolve(homeDirectory(env))
  const nexusHome = env.NEXUS_HOME ? resolve(from, env.NEXUS_HOME) : join(home, '.nexus')
  const systemFile = env.NEXUS_SYSTEM_CONFIG
    ? resolve(from, env.NEXUS_SYSTEM_CONFIG)
    : DEFAULT_SYSTEM_CONFIG_FILE
  const userFile = join(nexusHome, 'config.yaml')
  const found = await findProjectFile(from, home, userFile)
  return {
    locations: {
      nexusHome,
      systemFile,
      userFile,
      projectFile: found?.file ?? null,
      projectFileTarget: found?.file ?? join(repositoryRoot(from) ?? from, '.nexus', 'config.yaml'),
    },
    projectText: found?.text ?? null,
  }
}

/**
 * Searches `.nexus/config.y(a)ml` upward from `from` with cosmiconfig. The walk stops below the home directory
 * (whose `.nexus/` is the user's, not a project's) or at the filesystem root. cosmiconfig's "global" strategy also
 * looks in `~/.config/nexus/` last and would import a `config.js` found there: every loader is replaced by one
 * that accepts only real project candidates and returns the raw text (so that a `$import` key in a file means
 * nothing to cosmiconfig either).
 */
async function findProjectFile(
  from: string,
  home: string,
  userFile: string,
): Promise<{ file: string; text: string } | null> {
  const isCandidate = (file: string): boolean => {
    const nexusDir = dirname(file)
    return (
      basename(nexusDir) === '.nexus' &&
      PROJECT_FILE_NAMES.includes(basename(file)) &&
      dirname(nexusDir) !== home &&
      file !== userFile
    )
  }
  const rawText: LoaderSync = (file, content) => (isCandidate(file) ? { text: content } : null)
  const loaders = Object.fromEntries(LOADER_KEYS.map((key) => [key, rawText]))
  const { cosmiconfigSync } = await cosmiconfig()
  const explorer = cosmiconfigSync('nexus', {
    searchPlaces: PROJECT_SEARCH_PLACES,
    searchStrategy: 'global',
    stopDir: searchStopDir(from, home),
    loaders,
    // An empty project file is still the project file: skipping it would silently pick up a parent's.
    ignoreEmptySearchPlaces: false,
    cache: false,
  })
  const result = explorer.search(from)
  // Empty files never reach a loader, so the candidate check is repeated here.
  if (result === null || !isCandidate(result.filepath)) return null
  const loaded: unknown = result.config
  const text = typeof loaded === 'object' && loaded !== null && 'text' in loaded ? loaded.text : ''
  return { file: result.filepath, text: typeof text === 'string' ? text : '' }
}

const LOADER_KEYS = ['.mjs', '.cjs', '.js', '.ts', '.cts', '.mts', '.json', '.yaml', '.yml', 'noExt']

function searchStopDir(from: string, home: string): string {
  const fromHome = relative(home, from)
  if (fromHome === '') return home
  if (fromHome === '..' || fromHome.startsWith(`..${sep}`) || isAbsolute(fromHome)) return parse(from).root
  return join(home, fromHome.split(sep)[0] ?? '')
}

/**
 * The main repository's root for `from`, or null outside git. A linked worktree (a nexus workspace) has a `.git`
 * file pointing into `<repo>/.git/worktrees/<name>`: its project config belongs to the main repository, which
 * the search from inside the worktree also reaches.
 */
function repositoryRoot(from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const gitPath = join(dir, '.git')
    const stat = statSync(gitPath, { throwIfNoEntry: false })
    if (stat?.isDirectory()) return dir
    if (stat?.isFile()) return mainRepositoryOfWorktree(gitPath) ?? dir
    if (dirname(dir) === dir) return null
  }
}

function mainRepositoryOfWorktree(gitFile: string): string | null {
  try {
    const gitdir = /^gitdir:\s*(.+)$/m.exec(readFileSync(gitFile, 'utf8'))?.[1]?.trim()
    if (gitdir === undefined) return null
    const match = /^(.*)[\\/]\.git[\\/]worktrees[\\/][^\\/]+$/.exec(resolve(dirname(gitFile), gitdir))
    return match?.[1] ?? null
  } catch {
    return null
  }
}
