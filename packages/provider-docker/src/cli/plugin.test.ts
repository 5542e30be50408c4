import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { createNexus, type Nexus, type ProviderRegistration } from '@nexus/core'
import { Config, settings } from '@oclif/core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { RUN_ID, TEST_BASE_IMAGE, docker, removeRunResources } from '../__tests__/helpers.js'

/*
 * The plugin as oclif loads it from package.json: the hook registers the backend and the nested commands run
 * operations through core's app layer, against a real repository, a temp $NEXUS_HOME and the real engine. oclif is
 * pointed at the built `dist` (turbo builds before testing), the code a user actually gets.
 */
const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const run = promisify(execFile)

let base: string
let repo: string
let config: Config
let nexus: Nexus
const network = `nexus-plugin-test-${RUN_ID}`
const saved = {
  cwd: process.cwd(),
  home: process.env.NEXUS_HOME,
  system: process.env.NEXUS_SYSTEM_CONFIG,
  transpile: settings.enableAutoTranspile,
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}

beforeAll(async () => {
  expect(existsSync(join(PACKAGE_ROOT, 'dist', 'hooks', 'providers.js')), 'run `pnpm build` first').toBe(true)
  settings.enableAutoTranspile = false
  base = await mkdtemp(join(tmpdir(), 'nexus-docker-plugin-'))
  repo = join(base, 'repo')
  await run('git', ['init', '-q', '-b', 'main', repo])
  await writeFile(join(repo, 'notes.txt'), 'remember\n')
  await run('git', ['-C', repo, 'add', '-A'])
  await run('git', [
    '-C',
    repo,
    '-c',
    'user.name=t',
    '-c',
    'user.email=t@nexus.invalid',
    'commit',
    '-q',
    '-m',
    'init',
  ])
  process.env.NEXUS_HOME = join(base, 'home')
  process.env.NEXUS_SYSTEM_CONFIG = join(base, 'no-system-config.yaml')
  await mkdir(process.env.NEXUS_HOME, { recursive: true })
  await writeFile(
    join(process.env.NEXUS_HOME, 'config.yaml'),
    `backends:\n  docker:\n    base_image: ${TEST_BASE_IMAGE}\n`,
  )
  process.chdir(repo)
  config = await Config.load(PACKAGE_ROOT)
  nexus = await createNexus({ hooks: config, cwd: repo })
  await nexus.manager.create({ name: 'plugged', backend: 'docker', labels: { 'test-run': RUN_ID } })
})

afterAll(async () => {
  await nexus?.manager.destroy('plugged', { force: true, removeVolumes: true }).catch(() => undefined)
  await removeRunResources()
  await docker
    .getNetwork(network)
    .remove()
    .catch(() => undefined)
  process.chdir(saved.cwd)
  restoreEnv('NEXUS_HOME', saved.home)
  restoreEnv('NEXUS_SYSTEM_CONFIG', saved.system)
  settings.enableAutoTranspile = saved.transpile
  await rm(base, { recursive: true, force: true })
})

/** Runs a command as the CLI would; resolves what it printed on stdout and the exit code. */
async function runCommand(id: string, argv: string[]): Promise<{ stdout: string; code: number }> {
  let stdout = ''
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk)
    return true
  })
  const silenced = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  try {
    await config.runCommand(id, argv)
    return { stdout, code: 0 }
  } catch (error) {
    const exit = (error as { oclif?: { exit?: number } }).oclif?.exit
    if (typeof exit !== 'number') throw error
    return { stdout, code: exit }
  } finally {
    write.mockRestore()
    silenced.mockRestore()
  }
}

describe('the docker plugin under oclif', () => {
  it('registers the docker backend through its nexus:providers hook', async () => {
    const outcome = await config.runHook('nexus:providers', { apiVersion: 1 }, 10_000, true)
    expect(outcome.failures).toEqual([])
    const registration = outcome.successes.find((success) => success.plugin.name === '@nexus/provider-docker')
      ?.result as ProviderRegistration
    expect(registration.providers.map((provider) => provider.name)).toEqual(['docker'])
  })

  it('`volume create` runs the workspace operation on a workspace core made', async () => {
    const { stdout, code } = await runCommand('workspace:provider:docker:volume:create', [
      'plugged',
      '--volume',
      'cache',
      '--json',
    ])
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual({
      volume: 'cache',
      dockerVolume: expect.stringMatching(/-plugged-cache$/),
      created: true,
    })
  })

  it('`network create` runs a provider-scoped operation and prints text', async () => {
    const { stdout, code } = await runCommand('workspace:provider:docker:network:create', [network])
    expect(code).toBe(0)
    expect(stdout).toMatch(new RegExp(`^network\\s+${network}\\n`))
    expect(stdout).toMatch(/^created\s+true$/m)
  })

  it('turns a missing flag into INVALID_ARGUMENT with a pointer to --help', async () => {
    const { stdout, code } = await runCommand('workspace:provider:docker:volume:attach', [
      'plugged',
      '--volume',
      'cache',
      '--json',
    ])
    expect(code).toBe(2)
    expect(JSON.parse(stdout)).toMatchObject({
      error: {
        code: 'INVALID_ARGUMENT',
        suggestion: 'Run `nexus workspace provider docker volume attach --help` for usage.',
      },
    })
  })
})
