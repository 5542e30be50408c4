import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { providerShapeProblems, type ProviderFactory } from '@nexus/core'
import { createTestProviderContext } from '@nexus/core/testing'
import providers from './providers.js'

const run = promisify(execFile)
const packageRoot = fileURLToPath(new URL('../..', import.meta.url))

describe('the nexus:providers hook', () => {
  it('registers the docker backend and loads a provider that fits the contract', async () => {
    const registration = await providers()
    expect(registration.apiVersion).toBe(1)
    expect(registration.providers.map((p) => p.name)).toEqual(['docker'])
    const loaded = await registration.providers[0]?.load()
    const factory = ((loaded as { default?: ProviderFactory }).default ?? loaded) as ProviderFactory
    expect(factory.name).toBe('docker')
    const provider = await factory.create(createTestProviderContext({ nexusHome: '/nonexistent-nexus-home' }))
    expect(providerShapeProblems(provider)).toEqual([])
  })

  it('imports nothing heavy at module level: dockerode only comes with load()', async () => {
    // A fresh process, since this one has loaded the provider above. dockerode is CommonJS, so once imported it
    // shows up in the CommonJS module cache even when ESM imported it.
    const probe = `
      const { createRequire } = await import('node:module')
      const cached = () => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('/dockerode/'))
      const hook = (await import(${JSON.stringify(new URL('./providers.ts', import.meta.url).href)})).default
      const before = cached()
      await (await hook.call({}, { apiVersion: 1 })).providers[0].load()
      console.log(JSON.stringify({ before, after: cached() }))
    `
    const dir = await mkdtemp(join(tmpdir(), 'nexus-hook-probe-'))
    try {
      await writeFile(join(dir, 'probe.mts'), probe)
      const { stdout } = await run(
        join(packageRoot, 'node_modules', '.bin', 'tsx'),
        [join(dir, 'probe.mts')],
        { cwd: packageRoot },
      )
      expect(JSON.parse(stdout)).toEqual({ before: false, after: true })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
