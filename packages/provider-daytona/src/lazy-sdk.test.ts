import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'

const execFileAsync = promisify(execFile)
const DIST = fileURLToPath(new URL('../dist/', import.meta.url))

/**
 * Imports `modules` (then runs `then`) in a fresh node process that records every module it resolves, and returns
 * those under @daytonaio/sdk: what the user would pay for on `nexus --help` or a docker command.
 */
async function sdkModulesLoadedBy(modules: string[], then = ''): Promise<string[]> {
  const script = `
    import { registerHooks } from 'node:module'
    const seen = []
    registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.push(r.url); return r } })
    for (const m of ${JSON.stringify(modules.map((m) => pathToFileURL(m).href))}) await import(m)
    ${then}
    console.log(JSON.stringify(seen.filter((url) => url.includes('@daytonaio/sdk') || url.includes('@daytona/'))))
  `
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: DIST,
  })
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as string[]
}

async function commandModules(): Promise<string[]> {
  const entries = await readdir(join(DIST, 'commands'), { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile() && e.name.endsWith('.js')).map((e) => join(e.parentPath, e.name))
}

describe('the Daytona SDK loads only when a Daytona call is made', () => {
  beforeAll(() => {
    expect(
      existsSync(join(DIST, 'hooks', 'providers.js')),
      'run `pnpm --filter @nexus/provider-daytona build` first',
    ).toBe(true)
  })

  it('is not loaded by the hook, the commands, or making the provider', async () => {
    const commands = await commandModules()
    expect(commands.length).toBeGreaterThanOrEqual(12)
    const hook = join(DIST, 'hooks', 'providers.js')
    const provider = join(DIST, 'provider.js')
    const loaded = await sdkModulesLoadedBy(
      [hook, ...commands, provider],
      `const { createDaytonaProvider } = await import(${JSON.stringify(pathToFileURL(provider).href)})
       const p = createDaytonaProvider({ config: { api_key: 'k' }, globalConfig: {}, nexusHome: '/tmp', env: {}, reporter: { step: () => () => {}, info() {}, warn() {}, debug() {} } })
       p.capabilities(); p.operations()`,
    )
    expect(loaded).toEqual([])
  })

  it('is loaded on the first call that needs it (the probe does see it)', async () => {
    const sdk = join(DIST, 'client', 'sdk.js')
    const loaded = await sdkModulesLoadedBy(
      [sdk],
      `await (await import(${JSON.stringify(pathToFileURL(sdk).href)})).loadSdk()`,
    )
    expect(loaded.length).toBeGreaterThan(0)
  })
})
