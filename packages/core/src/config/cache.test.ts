import { existsSync } from 'node:fs'
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fixtureCacheFile, poisonCache, readCache, writeAllFiles } from './__tests__/config-cache.js'
import { makeConfigFixture, rejectionOf, type ConfigFixture } from './__tests__/fixture.js'
import { listConfig, loadConfig, type LoadedConfig } from './index.js'

let fx: ConfigFixture
let cacheFile: string
beforeEach(async () => {
  fx = await makeConfigFixture()
  cacheFile = fixtureCacheFile(fx)
})
afterEach(async () => {
  await fx.cleanup()
})

const load = (env: Record<string, string | undefined> = fx.env): Promise<LoadedConfig> =>
  loadConfig({ cwd: fx.repo, env })

describe('the config cache', () => {
  it('answers a second load with the same config and origins, without the files', async () => {
    await writeAllFiles(fx)
    const env = { ...fx.env, NEXUS_BACKEND: 'mock' }
    const first = await load(env)
    expect((await readCache(cacheFile)).entries).toHaveLength(1)

    const second = await load(env)
    expect(second.config).toStrictEqual(first.config)
    expect(JSON.stringify(second.config)).toBe(JSON.stringify(first.config))
    expect(second.origins).toEqual(first.origins)
    expect([...second.origins]).toEqual([...first.origins])
    expect(second.locations).toEqual(first.locations)
    expect(listConfig(second)).toEqual(listConfig(first))
    expect(second.config.defaults.backend).toBe('mock')
    expect(second.origins.get('defaults.backend')).toEqual({ scope: 'env', envVar: 'NEXUS_BACKEND' })

    await poisonCache(cacheFile)
    expect((await load(env)).config.backends.docker).toEqual({ base_image: 'from-cache' })
  })

  it('writes the cache readable by the user only', async () => {
    await writeAllFiles(fx)
    await load()
    expect((await stat(cacheFile)).mode & 0o777).toBe(0o600)
    expect((await stat(join(fx.home, '.nexus', 'cache'))).mode & 0o777).toBe(0o700)
  })

  it('keeps several configs, so that switching repositories keeps hitting, and only the last 8', async () => {
    const repos = Array.from({ length: 9 }, (_, index) => join(fx.home, 'projects', `repo${index}`))
    for (const [index, repo] of repos.entries()) {
      await mkdir(join(repo, '.git'), { recursive: true })
      await fx.writeSettled(
        join(repo, '.nexus', 'config.yaml'),
        `backends: {docker: {base_image: "img:${index}"}}\n`,
      )
      await loadConfig({ cwd: repo, env: fx.env })
    }
    expect((await readCache(cacheFile)).entries).toHaveLength(8)
    await poisonCache(cacheFile)
    const imageIn = async (repo: string): Promise<unknown> =>
      (await loadConfig({ cwd: repo, env: fx.env })).config.backends.docker?.base_image
    for (const repo of repos.slice(1)) expect(await imageIn(repo)).toBe('from-cache')
    // The oldest was dropped, and is loaded from its file again.
    expect(await imageIn(repos[0] ?? '')).toBe('img:0')
  })
})

describe('environment references and the cache', () => {
  const backendsWithReferences = [
    'backends:',
    '  docker:',
    '    base_image: img',
    '    token: env:NEXUS_TEST_TOKEN',
    '    url: "https://${NEXUS_TEST_HOST:-localhost}/api"',
    '    args: ["--key=${NEXUS_TEST_TOKEN}", 1, {nested: "${NEXUS_TEST_TOKEN}"}]',
    '    literal: "$${NOT_RESOLVED}"',
    '  other: {token: "${NEXUS_TEST_TOKEN}"}',
    '',
  ].join('\n')

  it('keeps references under backends.<name> unresolved and resolves them from the current env on a hit', async () => {
    await fx.writeSettled(fx.userFile, backendsWithReferences)
    await fx.writeSettled(fx.projectFile, 'backends: {other: {token: overridden}}\n')
    const first = await load({
      ...fx.env,
      NEXUS_TEST_TOKEN: 'secret-one',
      NEXUS_DAYTONA_REGION: 'region-xyz',
    })
    expect(first.config.backends.docker).toEqual({
      base_image: 'img',
      token: 'secret-one',
      url: 'https://localhost/api',
      args: ['--key=secret-one', 1, { nested: 'secret-one' }],
      literal: '${NOT_RESOLVED}',
    })
    expect(first.config.backends.other).toEqual({ token: 'overridden' })
    const cached = await readFile(cacheFile, 'utf8')
    expect(cached).not.toContain('secret-one')
    expect(cached).not.toContain('region-xyz')
    expect(cached).toContain('env:NEXUS_TEST_TOKEN')

    const env = { ...fx.env, NEXUS_TEST_TOKEN: 'secret-two', NEXUS_TEST_HOST: 'example.test' }
    const second = await load({ ...env, NEXUS_DAYTONA_REGION: 'region-xyz' })
    expect(second.config.backends.docker).toEqual({
      base_image: 'img',
      token: 'secret-two',
      url: 'https://example.test/api',
      args: ['--key=secret-two', 1, { nested: 'secret-two' }],
      literal: '${NOT_RESOLVED}',
    })
    expect(second.config.backends.daytona).toEqual({ target: 'region-xyz' })
    expect(second.origins).toEqual(first.origins)
    expect(await readFile(cacheFile, 'utf8')).toBe(cached)
    expect(await readFile(cacheFile, 'utf8')).not.toContain('secret-two')

    // Proves that the second load was a hit: the cache answers while the env is the same.
    await poisonCache(cacheFile)
    const third = await load({ ...env, NEXUS_DAYTONA_REGION: 'region-xyz' })
    expect(third.config.backends.docker).toEqual({
      ...second.config.backends.docker,
      base_image: 'from-cache',
    })
  })

  it('caches nothing when a reference sits outside backends, so that every load checks it', async () => {
    await fx.writeSettled(
      fx.userFile,
      'defaults: {resources: "${SIZE}"}\nbackends: {docker: {base_image: img}}\n',
    )
    await fx.writeSettled(fx.projectFile, 'defaults: {resources: small}\n')
    expect((await load({ ...fx.env, SIZE: 'large' })).config.defaults.resources).toBe('small')
    expect(existsSync(cacheFile)).toBe(false)
    // Overridden or not, the user file is valid only for some values of SIZE.
    const error = await rejectionOf(load({ ...fx.env, SIZE: 'huge' }))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.details).toMatchObject({ file: fx.userFile, keyPath: 'defaults.resources' })
    expect(existsSync(cacheFile)).toBe(false)
  })
})

describe('when the cache cannot help', () => {
  it('reports an invalid config the same way every time, and never caches it', async () => {
    await fx.writeSettled(fx.userFile, 'defaults: {resources: huge}\n')
    const errors = [await rejectionOf(load()), await rejectionOf(load())]
    expect(errors[0]?.code).toBe('CONFIG_INVALID')
    expect(errors[1]).toEqual(errors[0])
    expect(errors[1]?.message).toBe(errors[0]?.message)
    expect(existsSync(cacheFile)).toBe(false)
  })

  it('reports a config that became invalid, not the cached one', async () => {
    await fx.writeSettled(fx.userFile, 'defaults: {resources: large}\n')
    await load()
    await fx.writeSettled(fx.userFile, 'defaults: {resources: giant}\n', 60)
    const error = await rejectionOf(load())
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.details).toMatchObject({ file: fx.userFile, keyPath: 'defaults.resources' })
  })

  it('caches nothing for a file modified a moment ago, whose stat data could still hide a change', async () => {
    await fx.write(fx.userFile, 'defaults: {resources: large}\n')
    expect((await load()).config.defaults.resources).toBe('large')
    expect(existsSync(cacheFile)).toBe(false)
  })

  it.each([
    ['corrupt JSON', '{"format": 1, "entries": [{"key": '],
    ['another format', '{"format": 999, "entries": []}'],
    ['malformed entries', '{"format": 1, "entries": [{"key": 1}, null, "x"]}'],
  ])('loads the files when the cache file holds %s, and replaces it', async (_name, text) => {
    await writeAllFiles(fx)
    await fx.write(cacheFile, text)
    expect((await load()).config.backends.docker).toEqual({ base_image: 'img:1' })
    expect((await readCache(cacheFile)).entries).toHaveLength(1)
    expect((await load()).config.backends.docker).toEqual({ base_image: 'img:1' })
  })

  it('loads the files when an entry matches the key but does not fit (its NEXUS_* leaf is missing)', async () => {
    await writeAllFiles(fx)
    const env = { ...fx.env, NEXUS_BACKEND: 'mock' }
    await load(env)
    await poisonCache(cacheFile)
    const content = await readCache(cacheFile)
    for (const entry of content.entries) {
      const origins = (entry as unknown as { origins: unknown[] }).origins
      origins.push(['defaults.resources', { scope: 'env', envVar: 'NEXUS_NOT_SET' }])
    }
    await writeFile(cacheFile, JSON.stringify(content))
    const loaded = await load(env)
    expect(loaded.config.backends.docker).toEqual({ base_image: 'img:1' })
    expect(loaded.config.defaults.backend).toBe('mock')
  })

  it('goes on without a cache when it cannot write one', async () => {
    await writeAllFiles(fx)
    // A file where the cache directory should be: creating the directory fails.
    await fx.write(join(fx.home, '.nexus', 'cache'), 'not a directory')
    expect((await load()).config.backends.docker).toEqual({ base_image: 'img:1' })
    expect((await load()).config.exec.transport).toBe('ssh')
  })
})
