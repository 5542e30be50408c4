import { cp } from 'node:fs/promises'
import { join } from 'node:path'
import type { ProviderSummary, Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, FIXTURES, type Sandbox } from './harness.js'

let sandbox: Sandbox
let example: string
let broken: string

beforeAll(async () => {
  sandbox = await createSandbox()
  // Linked from copies, so that nothing nexus or npm might write lands in the shared fixtures.
  example = join(sandbox.root, 'plugins', 'nexus-provider-example')
  broken = join(sandbox.root, 'plugins', 'nexus-provider-broken')
  await cp(join(FIXTURES, 'nexus-provider-example'), example, { recursive: true })
  await cp(join(FIXTURES, 'nexus-provider-broken'), broken, { recursive: true })
})

afterAll(async () => {
  await sandbox?.cleanup()
})

const providerNames = async (): Promise<string[]> =>
  (await sandbox.json<ProviderSummary[]>(['provider', 'list'])).map((provider) => provider.name)

describe('providers are discovered at runtime', () => {
  it('lists the bundled mock provider with its origin and capabilities', async () => {
    const providers = await sandbox.json<ProviderSummary[]>(['provider', 'list'])
    expect(providers.find((p) => p.name === 'mock')).toMatchObject({
      plugin: '@nexus/provider-mock',
      type: 'core',
      capabilities: expect.arrayContaining(['exec']),
    })
    const table = await sandbox.nexus(['provider', 'list'])
    expect(table.stdout).toMatch(/^NAME\s+VERSION\s+PLUGIN\s+TYPE\s+CAPABILITIES$/m)
    expect(table.stdout).toMatch(/^mock\s+\S+\s+@nexus\/provider-mock\s+core\s+/m)
  })

  it('describes a provider: capabilities, operations and the command for each', async () => {
    const info = await sandbox.json<{ name: string; operations: Array<{ id: string; command: string }> }>([
      'provider',
      'info',
      'mock',
    ])
    expect(info.name).toBe('mock')
    expect(info.operations.length).toBeGreaterThan(0)
    for (const operation of info.operations)
      expect(operation.command).toMatch(/^nexus workspace provider mock /)
    const unknown = await sandbox.nexus(['provider', 'info', 'nope', '--json'])
    expect(JSON.parse(unknown.stdout).error.code).toBe('BACKEND_NOT_FOUND')
  })
})

describe('a linked third-party provider', () => {
  it('adds its backend, usable by flag, by config, and through its own command, until unlinked', async () => {
    const linked = await sandbox.nexus(['plugins', 'link', example, '--no-install'])
    expect(linked.code, linked.stderr).toBe(0)
    const summary = (await sandbox.json<ProviderSummary[]>(['provider', 'list'])).find(
      (p) => p.name === 'example',
    )
    expect(summary).toMatchObject({ plugin: 'nexus-provider-example', type: 'link' })

    const byFlag = await sandbox.json<Workspace>(['ws', 'create', 'by-flag', '--backend', 'example'])
    expect(byFlag.backend).toBe('example')
    const ran = await sandbox.nexus([
      'ws',
      'exec',
      'by-flag',
      '--',
      'git',
      'rev-parse',
      '--abbrev-ref',
      'HEAD',
    ])
    expect(ran).toMatchObject({ code: 0, stdout: 'nexus/by-flag\n' })

    expect(
      (await sandbox.nexus(['config', 'set', 'defaults.backend', 'example', '--scope', 'project'])).code,
    ).toBe(0)
    expect((await sandbox.json<Workspace>(['ws', 'create', 'by-config'])).backend).toBe('example')

    const hello = await sandbox.nexus(['workspace', 'provider', 'example', 'hello', '--name', 'Ada'])
    expect(hello).toMatchObject({ code: 0, stdout: expect.stringContaining('Hello, Ada') })

    for (const name of ['by-flag', 'by-config'])
      expect((await sandbox.nexus(['ws', 'rm', name])).code).toBe(0)
    expect((await sandbox.nexus(['config', 'unset', 'defaults.backend', '--scope', 'project'])).code).toBe(0)
    const unlinked = await sandbox.nexus(['plugins', 'unlink', 'nexus-provider-example'])
    expect(unlinked.code, unlinked.stderr).toBe(0)
    expect(await providerNames()).not.toContain('example')
    const gone = await sandbox.nexus(['ws', 'create', 'after', '--backend', 'example', '--json'])
    expect(JSON.parse(gone.stdout).error.code).toBe('BACKEND_NOT_FOUND')
  })

  it('that is broken yields a warning, and everything else keeps working', async () => {
    expect((await sandbox.nexus(['plugins', 'link', broken, '--no-install'])).code).toBe(0)
    const list = await sandbox.nexus(['workspace', 'list'])
    expect(list.code).toBe(0)
    expect(list.stderr).toMatch(/Warning: Plugin nexus-provider-broken failed to register its providers/)
    const json = await sandbox.nexus(['workspace', 'list', '--json'])
    expect(JSON.parse(json.stdout)).toEqual([])
    expect(await providerNames()).toContain('mock')
    expect((await sandbox.json<Workspace>(['ws', 'create', 'still-works', '--backend', 'mock'])).status).toBe(
      'running',
    )
    expect((await sandbox.nexus(['plugins', 'unlink', 'nexus-provider-broken'])).code).toBe(0)
    expect((await sandbox.nexus(['workspace', 'list'])).stderr).not.toContain('nexus-provider-broken')
  })
})
