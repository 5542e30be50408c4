import { existsSync } from 'node:fs'
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createNexus, type ProviderRegistration } from '@nexus/core'
import { Config, settings } from '@oclif/core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { runProgram } from '../__tests__/run-program.js'

/*
 * The plugin as oclif loads it from its package.json: the hook registers the backend, and the nested command
 * runs through core's app layer against a real repository and a temp $NEXUS_HOME. oclif is pointed at the built
 * `dist` (turbo builds before testing), the code a user actually gets.
 */
const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url))

let base: string
let repo: string
let config: Config
const saved = {
  cwd: process.cwd(),
  home: process.env.NEXUS_HOME,
  system: process.env.NEXUS_SYSTEM_CONFIG,
  transpile: settings.enableAutoTranspile,
}

beforeAll(async () => {
  expect(existsSync(join(PACKAGE_ROOT, 'dist', 'hooks', 'providers.js')), 'run `pnpm build` first').toBe(true)
  settings.enableAutoTranspile = false
  base = await mkdtemp(join(tmpdir(), 'nexus-mock-plugin-'))
  repo = join(base, 'repo')
  await runProgram('git', ['init', '-q', '-b', 'main', repo], base)
  await writeFile(join(repo, 'notes.txt'), 'remember\n')
  await runProgram('git', ['add', '-A'], repo)
  await runProgram(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@nexus.invalid', 'commit', '-q', '-m', 'init'],
    repo,
  )
  process.env.NEXUS_HOME = join(base, 'home')
  // This machine's /etc/nexus/config.yaml must not switch the mock's capabilities under the test.
  process.env.NEXUS_SYSTEM_CONFIG = join(base, 'no-system-config.yaml')
  process.chdir(repo)
  config = await Config.load(PACKAGE_ROOT)
})

afterAll(async () => {
  process.chdir(saved.cwd)
  restoreEnv('NEXUS_HOME', saved.home)
  restoreEnv('NEXUS_SYSTEM_CONFIG', saved.system)
  settings.enableAutoTranspile = saved.transpile
  await rm(base, { recursive: true, force: true })
})

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}

async function runCommand(id: string, argv: string[]): Promise<string> {
  let output = ''
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output += String(chunk)
    return true
  })
  try {
    await config.runCommand(id, argv)
  } finally {
    write.mockRestore()
  }
  return output
}

describe('the mock plugin under oclif', () => {
  it('registers the mock backend through its nexus:providers hook, without loading the provider', async () => {
    const outcome = await config.runHook('nexus:providers', { apiVersion: 1 }, 10_000, true)
    expect(outcome.failures).toEqual([])
    const registration = outcome.successes.find((success) => success.plugin.name === '@nexus/provider-mock')
      ?.result as ProviderRegistration
    expect(registration.apiVersion).toBe(1)
    expect(registration.providers.map((provider) => provider.name)).toEqual(['mock'])
    const loaded = await registration.providers[0]?.load()
    expect((loaded as { default: { name: string } }).default.name).toBe('mock')
  })

  it('`workspace provider mock snapshot create|list` snapshot a workspace made by core', async () => {
    const nexus = await createNexus({ hooks: config, cwd: repo })
    const workspace = await nexus.manager.create({ name: 'plugged', backend: 'mock' })

    const created = JSON.parse(
      await runCommand('workspace:provider:mock:snapshot:create', ['plugged', '--name', 'first', '--json']),
    ) as { snapshot: string; path: string; files: number }
    expect(created).toMatchObject({ snapshot: 'first', files: 1 })
    expect(created.path).toBe(join(base, 'home', 'providers', 'mock', 'snapshots', workspace.id, 'first'))
    expect((await stat(join(created.path, 'notes.txt'))).isFile()).toBe(true)

    // The operation's own param name works too: it is what `nexus provider info mock` prints.
    await runCommand('workspace:provider:mock:snapshot:create', ['plugged', '--snapshot', 'second'])
    const listed = await runCommand('workspace:provider:mock:snapshot:list', ['plugged'])
    expect(listed).toMatch(
      /^SNAPSHOT\s+CREATED\s+FILES\s+SIZE\nfirst\s+\S+\s+1\s+9 B\nsecond\s+\S+\s+1\s+9 B\n$/,
    )
  })

  it('`workspace provider mock echo` runs the provider-scoped operation', async () => {
    expect(await runCommand('workspace:provider:mock:echo', ['--message', 'hi "there"'])).toBe('hi "there"\n')
  })
})
