import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fixtureCacheFile, poisonCache, writeAllFiles } from './__tests__/config-cache.js'
import { makeConfigFixture, type ConfigFixture } from './__tests__/fixture.js'
import { cacheKey, codeDigest, digestedModules, type CacheKeyInput } from './cache-key.js'
import { CONFIG_ENV_VARS, loadConfig } from './index.js'

type Env = Record<string, string | undefined>

let fx: ConfigFixture
let cacheFile: string
beforeEach(async () => {
  fx = await makeConfigFixture()
  cacheFile = fixtureCacheFile(fx)
})
afterEach(async () => {
  await fx.cleanup()
})

// A record over every variable: adding one to CONFIG_ENV_VARS without a value here fails to compile.
const VALID_VALUES: Record<(typeof CONFIG_ENV_VARS)[number]['envVar'], string> = {
  NEXUS_BACKEND: 'mock',
  NEXUS_RESOURCES: 'large',
  NEXUS_EXEC_TRANSPORT: 'native',
  NEXUS_SWITCH_PREVIOUS: 'keep',
  NEXUS_DAYTONA_REGION: 'eu',
  NEXUS_STOP_GRACE_SECONDS: '3',
}

describe('what invalidates a cached config', () => {
  const changes: Array<[string, (env: Env) => Promise<{ env?: Env; flags?: Record<string, unknown> }>]> = [
    ...(['systemFile', 'userFile', 'projectFile'] as const).flatMap(
      (file): Array<[string, (env: Env) => Promise<{ env?: Env }>]> => [
        [
          `touching the ${file}`,
          async () => {
            const older = new Date(Date.now() - 7200_000)
            await utimes(fx[file], older, older)
            return {}
          },
        ],
        [
          `changing the ${file} keeping its size and times`,
          async () => {
            const { mtime } = await stat(fx[file])
            const text = await readFile(fx[file], 'utf8')
            await writeFile(
              fx[file],
              text.replace(/\d(?=\D*$)/, (digit) => String((Number(digit) + 1) % 10)),
            )
            await utimes(fx[file], mtime, mtime)
            return {}
          },
        ],
        [
          `removing the ${file}`,
          async () => {
            await rm(fx[file])
            return {}
          },
        ],
      ],
    ),
    [
      'creating a project file nearer the current directory',
      async () => {
        await fx.writeSettled(join(fx.repo, 'sub', '.nexus', 'config.yaml'), 'defaults: {backend: nearer}\n')
        return {}
      },
    ],
    ...CONFIG_ENV_VARS.map(({ envVar }): [string, (env: Env) => Promise<{ env: Env }>] => [
      `setting ${envVar}`,
      async (env) => ({ env: { ...env, [envVar]: VALID_VALUES[envVar] } }),
    ]),
    ['passing a flag', async () => ({ flags: { defaults: { resources: 'large' } } })],
    ['changing HOME, which `~/` in env_files means', async (env) => ({ env: { ...env, HOME: fx.root } })],
  ]

  it.each(changes)('%s', async (_name, change) => {
    await writeAllFiles(fx)
    await fx.writeSettled(join(fx.repo, 'sub', '.keep'), '')
    // NEXUS_HOME pins the cache's place, so that changing HOME changes only the key.
    const env = { ...fx.env, NEXUS_HOME: join(fx.home, '.nexus') }
    const cwd = join(fx.repo, 'sub')
    await loadConfig({ cwd, env })
    await poisonCache(cacheFile)
    expect((await loadConfig({ cwd, env })).config.backends.docker?.base_image).toBe('from-cache')

    const changed = await change(env)
    const options = { cwd, env: changed.env ?? env, ...(changed.flags ? { flags: changed.flags } : {}) }
    const reloaded = await loadConfig(options)
    expect(reloaded.config.backends.docker?.base_image).not.toBe('from-cache')
    // The result is the slow path's, file for file.
    await rm(cacheFile)
    const uncached = await loadConfig(options)
    expect(reloaded.config).toStrictEqual(uncached.config)
    expect(reloaded.origins).toEqual(uncached.origins)
  })
})

describe('the code part of the key', () => {
  it('covers the schema, the defaults and the loading code, and nothing that only tests them', () => {
    const names = digestedModules().map((file) => basename(file))
    expect(names).toEqual(
      expect.arrayContaining(['schema.ts', 'defaults.ts', 'validate.ts', 'layers.ts', 'load.ts']),
    )
    expect(names.filter((name) => name.includes('.test.'))).toEqual([])
    expect(codeDigest()).toMatch(/^[0-9a-f]{64}$/)
  })

  it('changes the key when the code does', () => {
    const input: CacheKeyInput = { files: [], home: fx.home, cwd: fx.repo, env: fx.env, flags: undefined }
    expect(cacheKey(input, 'code-a')).not.toBe(cacheKey(input, 'code-b'))
    expect(cacheKey(input, 'code-a')).toBe(cacheKey(input, 'code-a'))
  })
})
