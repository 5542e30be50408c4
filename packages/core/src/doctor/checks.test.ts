import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sshPaths } from '../ssh/index.js'
import type { Workspace } from '../workspace/index.js'
import { checkKeyMode, checkPortUsage, portUsage } from './file-checks.js'
import { guarded } from './guard.js'
import { checkCommandIds, checkPlugins, duplicateCommandIds } from './plugin-checks.js'
import type { Provider } from '../provider/index.js'
import { checkProviderHealth, orphanedResources } from './provider-checks.js'
import { checkNode, compareVersions } from './system-checks.js'

describe('node version', () => {
  it('compares dotted versions numerically, not as text', () => {
    expect(compareVersions('v22.12.0', '22.12.0')).toBe(0)
    expect(compareVersions('22.9.0', '22.12.0')).toBeLessThan(0)
    expect(compareVersions('v23.0.1', '22.12.0')).toBeGreaterThan(0)
    expect(compareVersions('22.12', '22.12.0')).toBe(0)
  })

  it('fails below 22.12 with an install hint, passes from 22.12 on', () => {
    expect(checkNode('v22.12.0').status).toBe('ok')
    const old = checkNode('v20.19.0')
    expect(old).toMatchObject({ status: 'fail', message: expect.stringContaining('20.19.0') })
    expect(old.fix).toMatch(/Install Node 22\.12\.0/)
  })
})

describe('ssh key mode', () => {
  let home: string
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'nexus-doctor-'))
  })
  afterEach(() => rm(home, { recursive: true, force: true }))

  it('is fine when the key is not generated yet', async () => {
    expect(await checkKeyMode(home)).toMatchObject({
      status: 'ok',
      message: expect.stringMatching(/not generated/),
    })
  })

  it('fails a key others can read, with the chmod that fixes it', async () => {
    const { keysDir, privateKey } = sshPaths(home)
    await mkdir(keysDir)
    await writeFile(privateKey, 'not really a key\n')
    await chmod(privateKey, 0o644)
    expect(await checkKeyMode(home)).toEqual({
      id: 'keys',
      status: 'fail',
      message: expect.stringContaining('0644'),
      fix: `chmod 600 ${privateKey}`,
    })
    await chmod(privateKey, 0o600)
    expect((await checkKeyMode(home)).status).toBe('ok')
  })
})

describe('port usage', () => {
  const at = (portBlockStart: number): Workspace => ({ portBlockStart }) as Workspace

  it('counts the blocks held in each range', () => {
    const usage = portUsage([at(32800), at(32810), at(35000), at(40000)])
    expect(usage).toEqual([
      { name: 'local', used: 2, total: 220 },
      { name: 'remote', used: 1, total: 500 },
      { name: 'fallback', used: 1, total: 2553 },
    ])
    expect(checkPortUsage(usage)).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('local: 2 of 220 blocks in use'),
    })
  })

  it('warns when a range is more than 80% used', () => {
    const range = { tiny: { start: 1000, end: 1049 } }
    const four = portUsage([at(1000), at(1010), at(1020), at(1030)], range)
    expect(checkPortUsage(four).status).toBe('ok')
    const five = portUsage([at(1000), at(1010), at(1020), at(1030), at(1040)], range)
    expect(checkPortUsage(five)).toMatchObject({ status: 'warn', message: expect.stringContaining('tiny') })
  })
})

describe('plugins and commands', () => {
  it('finds ids claimed by two plugins, not one plugin listing an id twice', () => {
    const commands = [
      { id: 'workspace:list', plugin: '@nexus/cli' },
      { id: 'workspace:list', plugin: 'nexus-plugin-x' },
      { id: 'provider:list', plugin: '@nexus/cli' },
      { id: 'provider:list', plugin: '@nexus/cli' },
    ]
    expect(duplicateCommandIds(commands)).toEqual(
      new Map([['workspace:list', ['@nexus/cli', 'nexus-plugin-x']]]),
    )
    expect(checkCommandIds(commands)).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('"workspace:list" (@nexus/cli, nexus-plugin-x)'),
    })
    expect(checkCommandIds(commands.slice(2)).status).toBe('ok')
  })

  it('names the broken plugin and how to remove it', () => {
    const [check] = checkPlugins(
      ['Plugin nexus-plugin-broken failed to register its providers and was skipped: boom'],
      ['mock'],
    )
    expect(check).toMatchObject({ id: 'plugin:nexus-plugin-broken', status: 'fail' })
    expect(check?.fix).toContain('nexus plugins uninstall nexus-plugin-broken')
    expect(checkPlugins([], ['docker', 'mock'])[0]).toMatchObject({ status: 'ok' })
  })
})

describe('isolation and orphans', () => {
  it('turns a throwing check into that check failing', async () => {
    const checks = await guarded('state', () => Promise.reject(new Error('EACCES: permission denied')))
    expect(checks).toEqual([
      { id: 'state', status: 'fail', message: 'The state check could not run: EACCES: permission denied' },
    ])
  })

  it('counts resources without a known workspace as orphans, never workspaces without resources', () => {
    const resource = (workspaceId: string | null) => ({
      kind: 'container',
      id: `c-${workspaceId}`,
      name: `n-${workspaceId}`,
      workspaceId,
      status: 'running' as const,
    })
    const workspaces = [{ id: 'known' }, { id: 'resource-gone' }] as Workspace[]
    const orphans = orphanedResources([resource('known'), resource('stranger'), resource(null)], workspaces)
    expect(orphans.map((r) => r.workspaceId)).toEqual(['stranger', null])
  })
})

describe('backend health', () => {
  const unconfigured = {
    name: 'remote',
    health: async () => ({ ok: false, configured: false, message: 'No API key: set REMOTE_KEY.' }),
  } as unknown as Provider

  it('a backend not set up here and not in use is reported, not failed', async () => {
    const check = await checkProviderHealth(unconfigured, false)
    expect(check).toMatchObject({ id: 'provider:remote', status: 'ok' })
    expect(check.message).toMatch(/^Not set up .*REMOTE_KEY/)
  })

  it('the same backend fails the check once something uses it', async () => {
    const check = await checkProviderHealth(unconfigured, true)
    expect(check).toMatchObject({ status: 'fail', message: 'No API key: set REMOTE_KEY.' })
  })
})
