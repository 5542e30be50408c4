import { spawn, execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

export const CLI_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const BIN = join(CLI_ROOT, 'bin', 'run.js')
export const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/', import.meta.url))

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

export interface RunOptions {
  cwd?: string
  env?: Record<string, string>
  input?: string
}

/**
 * One isolated nexus world: a real git repository, and temp NEXUS_HOME, system config, oclif data dir and HOME,
 * so nothing leaks between tests or into the machine's real config.
 */
export interface Sandbox {
  root: string
  repo: string
  nexusHome: string
  systemConfig: string
  env: Record<string, string>
  nexus(args: readonly string[], options?: RunOptions): Promise<RunResult>
  git(args: readonly string[], cwd?: string): Promise<string>
  json<T>(args: readonly string[], options?: RunOptions): Promise<T>
  cleanup(): Promise<void>
}

export function assertBuilt(): void {
  if (!existsSync(join(CLI_ROOT, 'oclif.manifest.json')) || !existsSync(join(CLI_ROOT, 'dist', 'commands'))) {
    throw new Error(
      'The CLI is not built: run `pnpm turbo run build --filter @nexus/cli...` in /work/main first.',
    )
  }
}

/**
 * A fresh repository, HOME and NEXUS_HOME. `portsRange` (YAML, e.g. `{start: 22300, end: 22399}`) is set in the user
 * config: e2e files that allocate ports keep to ranges of their own, below the kernel's ephemeral range.
 */
export async function createSandbox({ portsRange }: { portsRange?: string } = {}): Promise<Sandbox> {
  assertBuilt()
  const root = await realpath(await mkdtemp(join(tmpdir(), 'nexus-cli-e2e-')))
  // Backends name their resources after the repository's directory: keep it unique across concurrent sandboxes.
  const repo = join(root, `repo-${basename(root).slice(-6).toLowerCase()}`)
  const home = join(root, 'home')
  const nexusHome = join(root, 'nexus-home')
  const systemConfig = join(root, 'system', 'config.yaml')
  await Promise.all([mkdir(repo), mkdir(home), mkdir(nexusHome)])
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    NEXUS_HOME: nexusHome,
    NEXUS_SYSTEM_CONFIG: systemConfig,
    NEXUS_DATA_DIR: join(root, 'oclif-data'),
    XDG_CACHE_HOME: join(root, 'cache'),
    XDG_CONFIG_HOME: join(root, 'xdg-config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Nexus Test',
    GIT_AUTHOR_EMAIL: 'test@nexus.invalid',
    GIT_COMMITTER_NAME: 'Nexus Test',
    GIT_COMMITTER_EMAIL: 'test@nexus.invalid',
    // Linked fixtures are plain ESM; the warning about not transpiling them would only add noise to stderr.
    OCLIF_DISABLE_LINKED_ESM_WARNING: '1',
  }
  const git = async (args: readonly string[], cwd = repo): Promise<string> =>
    (await execFileAsync('git', [...args], { cwd, env })).stdout.trim()
  await git(['init', '--quiet', '--initial-branch=main'])
  await writeFile(join(repo, 'README.md'), '# e2e\n')
  await git(['add', 'README.md'])
  await git(['commit', '--quiet', '-m', 'initial'])

  const nexus = (args: readonly string[], options: RunOptions = {}): Promise<RunResult> =>
    runNexus(args, { cwd: options.cwd ?? repo, env: { ...env, ...options.env }, input: options.input })
  if (portsRange !== undefined) {
    const set = await nexus(['config', 'set', 'ports_range', portsRange])
    if (set.code !== 0)
      throw new Error(`config set ports_range ${portsRange} failed: ${set.stdout}${set.stderr}`)
  }
  return {
    root,
    repo,
    nexusHome,
    systemConfig,
    env,
    nexus,
    git,
    async json<T>(args: readonly string[], options?: RunOptions): Promise<T> {
      const result = await nexus([...args, '--json'], options)
      if (result.code !== 0)
        throw new Error(`nexus ${args.join(' ')} exited ${result.code}: ${result.stdout}${result.stderr}`)
      return JSON.parse(result.stdout) as T
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  }
}

export function runNexus(
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; input?: string | undefined },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr }))
    if (options.input !== undefined) child.stdin?.end(options.input)
  })
}

/** The docker CLI, for a test's own probes and fixtures (the system under test is always driven through `nexus`). */
export async function docker(args: readonly string[]): Promise<string> {
  return (await execFileAsync('docker', [...args])).stdout.trim()
}

/** Whether a Docker engine answers; suites that need one skip without it. */
export function dockerAvailable(): Promise<boolean> {
  return docker(['version']).then(
    () => true,
    () => false,
  )
}

/** A failure as the CLI must print it under --json: exactly one JSON document with the coded error. */
export interface ErrorDocument {
  error: { code: string; message: string; suggestion: string | null }
}

export function parseErrorDocument(stdout: string): ErrorDocument {
  return JSON.parse(stdout) as ErrorDocument
}

/** Signs of a stack trace leaking to the user. */
export const STACK_TRACE = /\n\s+at .+[(:]\d+/
