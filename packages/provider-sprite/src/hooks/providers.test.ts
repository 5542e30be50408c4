import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { providerShapeProblems, type ProviderFactory } from '@nexus/core'
import { createTestProviderContext } from '@nexus/core/testing'
import providers from './providers.js'

const run = promisify(execFile)
const packageRoot = fileURLToPath(new URL('../..', import.meta.url))
const dist = join(packageRoot, 'dist')

async function builtCommands(dir = join(dist, 'commands')): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? builtCommands(join(dir, entry.name))
        : Promise.resolve(entry.name.endsWith('.js') ? [join(dir, entry.name)] : []),
    ),
  )
  return nested.flat()
}

/**
 * Imports modules in a fresh node process with a resolve hook that records every specifier, so the test sees what
 * was actually loaded (ESM has no module cache to inspect).
 */
async function loadedWhile(script: string): Promise<string[]> {
  const probe = `
    const { registerHooks } = await import('node:module')
    const seen = []
    registerHooks({ resolve(specifier, context, next) { seen.push(specifier); return next(specifier, context) } })
    ${script}
    console.log(JSON.stringify(seen))
  `
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe], { cwd: packageRoot })
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as string[]
}

describe('the nexus:providers hook', () => {
  it('registers the sprite backend and loads a provider that fits the contract', async () => {
    const registration = await providers()
    expect(registration.providers.map((p) => p.name)).toEqual(['sprite'])
    const loaded = await registration.providers[0]?.load()
    const factory = ((loaded as { default?: ProviderFactory }).default ?? loaded) as ProviderFactory
    expect(factory.name).toBe('sprite')
    const provider = await factory.create(createTestProviderContext({ nexusHome: '/nonexistent', env: {} }))
    expect(providerShapeProblems(provider)).toEqual([])
  })

  it('loads neither the Sprites SDK nor zod from the hook and the commands (the --help path)', async () => {
    expect(existsSync(join(dist, 'hooks', 'providers.js')), 'run `pnpm build` first').toBe(true)
    const modules = [join(dist, 'hooks', 'providers.js'), ...(await builtCommands())]
    expect(modules.length).toBeGreaterThan(10)
    const imports = modules
      .map((path) => `await import(${JSON.stringify(pathToFileURL(path).href)})`)
      .join('\n')
    const seen = await loadedWhile(imports)
    expect(seen.some((specifier) => specifier.includes('commands/workspace/provider/sprite'))).toBe(true)
    expect(seen.filter((specifier) => /@fly\/sprites|^zod/.test(specifier))).toEqual([])
  })

  it('loads the SDK only when the provider first talks to the API, not when it is made', async () => {
    const hook = pathToFileURL(join(dist, 'hooks', 'providers.js')).href
    const seen = await loadedWhile(`
      const registration = await (await import(${JSON.stringify(hook)})).default.call({}, { apiVersion: 1 })
      const factory = (await registration.providers[0].load()).default
      const silent = { step: () => () => {}, info() {}, warn() {}, debug() {} }
      const provider = await factory.create({ config: {}, globalConfig: {}, nexusHome: '/nonexistent', env: { SPRITE_TOKEN: 't', SPRITES_API_URL: 'http://127.0.0.1:9' }, reporter: silent })
      seen.push('--made--')
      await provider.inspect({ name: 'x', repoRoot: '/r', backendRef: null }).catch(() => {})
    `)
    const made = seen.indexOf('--made--')
    expect(made).toBeGreaterThan(0)
    expect(seen.slice(0, made).filter((specifier) => specifier.includes('@fly/sprites'))).toEqual([])
    expect(seen.slice(made)).toContain('@fly/sprites')
  })
})
