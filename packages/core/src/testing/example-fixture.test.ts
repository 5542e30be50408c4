import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ProviderRegistry, type Provider, type ProviderDescriptor } from '../provider/index.js'
import { createTestProviderContext } from './context.js'
import { describeProviderConformance } from './conformance.js'
import { failureOf } from './expectations.js'
import { makeTestWorkspace, type TestWorkspace } from './test-workspace.js'

/*
 * The third-party fixture is plain JavaScript with no dependency on @nexus/core. Loading it through core's own
 * registry and passing the conformance suite shows the contract is structural, as a user-installed plugin needs.
 */
const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/', import.meta.url))

async function runFixtureHook(plugin: string): Promise<unknown> {
  const module = (await import(pathToFileURL(join(FIXTURES, plugin, 'hooks', 'providers.js')).href)) as {
    default: (options: { apiVersion: number }) => Promise<unknown>
  }
  return module.default({ apiVersion: 1 })
}

function descriptorsOf(registration: unknown): ProviderDescriptor[] {
  const shaped = registration as { apiVersion?: unknown; providers?: unknown }
  expect(shaped.apiVersion).toBe(1)
  expect(Array.isArray(shaped.providers)).toBe(true)
  return shaped.providers as ProviderDescriptor[]
}

let nexusHome: string | undefined
const workspaces: TestWorkspace[] = []

async function exampleProvider(): Promise<Provider> {
  nexusHome ??= await mkdtemp(join(tmpdir(), 'nexus-example-home-'))
  const home = nexusHome
  const descriptors = descriptorsOf(await runFixtureHook('nexus-provider-example'))
  const origin = { plugin: 'nexus-provider-example', version: '1.0.0', type: 'link' }
  const registry = new ProviderRegistry(
    descriptors.map((descriptor) => ({ descriptor, origin })),
    () => createTestProviderContext({ nexusHome: home }),
  )
  return registry.get('example')
}

describe('third-party fixture plugins', () => {
  it('nexus-provider-example registers the example backend with a lazy load()', async () => {
    const [descriptor, ...rest] = descriptorsOf(await runFixtureHook('nexus-provider-example'))
    expect(rest).toEqual([])
    expect(descriptor).toMatchObject({ apiVersion: 1, name: 'example' })
    expect(typeof descriptor?.load).toBe('function')
    expect(descriptor?.summary.length).toBeGreaterThan(0)
  })

  it('nexus-provider-broken fails in its hook, which is what the CLI must survive', async () => {
    const error = await failureOf(() => runFixtureHook('nexus-provider-broken'))
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/fails on purpose/)
  })
})

describeProviderConformance('example', {
  makeProvider: () => exampleProvider(),
  async makeWorkspace(name) {
    const made = await makeTestWorkspace({ backend: 'example', name })
    workspaces.push(made)
    return made
  },
  async cleanup() {
    await Promise.all(workspaces.splice(0).map((workspace) => workspace.cleanup()))
    if (nexusHome) await rm(nexusHome, { recursive: true, force: true })
  },
})
