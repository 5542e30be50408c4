import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeConfigFixture, rejectionOf, type ConfigFixture } from './__tests__/fixture.js'
import { getConfigValue, listConfig, loadConfig } from './index.js'

let fx: ConfigFixture
beforeEach(async () => {
  fx = await makeConfigFixture()
})
afterEach(async () => {
  await fx.cleanup()
})

describe('config list hides values that may be secrets', () => {
  const canary = 'canary-7f3a9c'

  it('hides env maps, credential-like keys and values read from the environment; config get still shows them', async () => {
    await fx.writeSettled(
      fx.projectFile,
      [
        'env:',
        `  API_TOKEN: ${canary}-literal`,
        'services:',
        '  db:',
        '    image: postgres',
        '    env:',
        `      POSTGRES_PASSWORD: ${canary}-service`,
        'backends:',
        '  docker:',
        `    registry_password: ${canary}-named`,
        '    url: "https://user:${REGISTRY_PASS}@registry.invalid"',
        '    image: plain-image',
        '',
      ].join('\n'),
    )
    const env = { ...fx.env, REGISTRY_PASS: `${canary}-interpolated` }
    // Twice: the second load may come from the config cache, which must hide the same values.
    for (let load = 0; load < 2; load++) {
      const loaded = await loadConfig({ cwd: fx.repo, env })
      const listed = listConfig(loaded)
      expect(JSON.stringify(listed)).not.toContain(canary)
      expect(listed.find((entry) => entry.key === 'backends.docker.image')?.value).toBe('plain-image')
      expect(listed.find((entry) => entry.key === 'env.API_TOKEN')?.value).toBe('(hidden)')
      expect(getConfigValue(loaded, 'env.API_TOKEN').value).toBe(`${canary}-literal`)
    }
  })
})

describe('config files nexus would misread are refused', () => {
  it('a second YAML document after --- → CONFIG_INVALID naming its line', async () => {
    await fx.write(fx.userFile, 'defaults:\n  resources: small\n---\ncolour: blue\n')
    const error = await rejectionOf(loadConfig({ cwd: fx.repo, env: fx.env }))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain('second YAML document (from line 3)')
  })

  it('a trailing --- with nothing after it is still one document', async () => {
    await fx.write(fx.userFile, 'defaults:\n  resources: medium\n---\n')
    const loaded = await loadConfig({ cwd: fx.repo, env: fx.env })
    expect(loaded.config.defaults.resources).toBe('medium')
  })

  it.each([
    ['a port name with ../', 'ports:\n  ../web:\n    container: 3000\n', /ports.*port name/],
    ['a port name in upper case', 'ports:\n  Web:\n    container: 3000\n', /ports.*port name/],
    ['a service name with a slash', 'services:\n  a/b:\n    image: postgres\n', /services.*service name/],
  ])('%s → CONFIG_INVALID', async (_, text, mentions) => {
    await fx.write(fx.projectFile, text)
    const error = await rejectionOf(loadConfig({ cwd: fx.repo, env: fx.env }))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toMatch(mentions)
  })

  it('accepts the port and service names in use: web, api-2, db, redis_cache, pg.main', async () => {
    await fx.write(
      fx.projectFile,
      'ports:\n  web: {container: 3000}\n  api-2: {container: 8080}\nservices:\n  db: {image: x}\n  redis_cache: {image: y}\n  pg.main: {image: z}\n',
    )
    const loaded = await loadConfig({ cwd: fx.repo, env: fx.env })
    expect(Object.keys(loaded.config.services)).toEqual(['db', 'redis_cache', 'pg.main'])
  })
})
