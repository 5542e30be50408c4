import { chmod, mkdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeConfigFixture, rejectionOf, type ConfigFixture } from './__tests__/fixture.js'
import {
  loadConfig,
  resolveLocations,
  setConfigValue,
  unsetConfigValue,
  type ConfigLocations,
} from './index.js'

let fx: ConfigFixture
let locations: ConfigLocations
beforeEach(async () => {
  fx = await makeConfigFixture()
  locations = await resolveLocations(fx.repo, fx.env)
})
afterEach(async () => {
  await fx.cleanup()
})

const COMMENTED = [
  '# Project settings for nexus',
  'version: "2"',
  'defaults:',
  '  # docker is the default; we use mock in CI',
  '  backend: docker # keep in sync with CI',
  'env:',
  '  NODE_ENV: development',
  '',
].join('\n')

describe('setConfigValue and unsetConfigValue', () => {
  it('round-trips a value, keeping comments, and the loaded config sees it', async () => {
    await fx.write(fx.projectFile, COMMENTED)
    expect(await setConfigValue(locations, 'project', 'defaults.backend', 'mock')).toEqual({
      file: fx.projectFile,
    })
    await setConfigValue(locations, 'project', 'lifecycle.stop_grace_seconds', '3')
    await setConfigValue(locations, 'project', 'ssh.forward_agent', 'false')

    const written = await readFile(fx.projectFile, 'utf8')
    expect(written).toContain('# Project settings for nexus')
    expect(written).toContain('  # docker is the default; we use mock in CI')
    expect(written).toContain('  backend: mock # keep in sync with CI')
    const loaded = await loadConfig({ cwd: fx.repo, env: fx.env })
    expect(loaded.config.defaults.backend).toBe('mock')
    expect(loaded.config.lifecycle.stop_grace_seconds).toBe(3)
    expect(loaded.config.ssh.forward_agent).toBe(false)
    expect(loaded.origins.get('ssh.forward_agent')).toEqual({ scope: 'project', file: fx.projectFile })

    expect(await unsetConfigValue(locations, 'project', 'lifecycle.stop_grace_seconds')).toEqual({
      file: fx.projectFile,
      removed: true,
    })
    await unsetConfigValue(locations, 'project', 'ssh.forward_agent')
    const restored = await readFile(fx.projectFile, 'utf8')
    expect(restored).toBe(COMMENTED.replace('backend: docker', 'backend: mock'))
  })

  it('parses the value as YAML: quoted numbers stay strings, flow lists are lists', async () => {
    await setConfigValue(locations, 'user', 'env.PORT', '"3000"')
    await setConfigValue(locations, 'user', 'env_files', '[.env, ~/secrets.env]')
    await setConfigValue(locations, 'user', 'backends.docker.image', 'nexus-base:bookworm')
    const text = await readFile(fx.userFile, 'utf8')
    expect(text).toContain('PORT: "3000"')
    const { config } = await loadConfig({ cwd: fx.repo, env: fx.env })
    expect(config.env.PORT).toBe('3000')
    expect(config.env_files).toEqual([join(fx.home, '.nexus', '.env'), join(fx.home, 'secrets.env')])
    expect(config.backends.docker).toEqual({ image: 'nexus-base:bookworm' })
  })

  it('leaves the file untouched when the value is invalid', async () => {
    await fx.write(fx.projectFile, COMMENTED)
    const before = await stat(fx.projectFile)
    const error = await rejectionOf(setConfigValue(locations, 'project', 'defaults.resources', 'huge'))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain('defaults.resources')
    expect(error.message).toContain('one of small, medium, large, xlarge')
    expect(error.details).toMatchObject({
      file: fx.projectFile,
      keyPath: 'defaults.resources',
      scope: 'project',
    })
    expect(await readFile(fx.projectFile, 'utf8')).toBe(COMMENTED)
    expect((await stat(fx.projectFile)).mtimeMs).toBe(before.mtimeMs)

    const unknownNested = await rejectionOf(setConfigValue(locations, 'project', 'defaults.backnd', 'mock'))
    expect(unknownNested.details).toMatchObject({ keyPath: 'defaults.backnd' })
    expect(await readFile(fx.projectFile, 'utf8')).toBe(COMMENTED)
  })

  it('rejects an unknown top-level key path, listing the valid keys, without creating a file', async () => {
    const error = await rejectionOf(setConfigValue(locations, 'user', 'backend', 'mock'))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.suggestion).toContain(
      'defaults, backends, ports, env, env_files, services, ssh, exec, switch',
    )
    await expect(stat(fx.userFile)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('creates a new file (and its directory) as version 2, and accepts env references it cannot resolve yet', async () => {
    await setConfigValue(locations, 'user', 'defaults.resources', '${NEXUS_SIZE}')
    expect(await readFile(fx.userFile, 'utf8')).toBe('version: "2"\ndefaults:\n  resources: ${NEXUS_SIZE}\n')
    expect((await stat(fx.userFile)).mode & 0o777).toBe(0o600)
    const { config } = await loadConfig({ cwd: fx.repo, env: { ...fx.env, NEXUS_SIZE: 'xlarge' } })
    expect(config.defaults.resources).toBe('xlarge')
  })

  it('writes a project file at the repository root when there is none', async () => {
    const nested = join(fx.repo, 'src')
    await mkdir(nested)
    const fromNested = await resolveLocations(nested, fx.env)
    expect(await setConfigValue(fromNested, 'project', 'exec.transport', 'ssh')).toEqual({
      file: fx.projectFile,
    })
    expect((await loadConfig({ cwd: nested, env: fx.env })).config.exec.transport).toBe('ssh')
  })

  it('upgrades a version 1 file in place when writing it', async () => {
    await fx.write(fx.userFile, '# mine\nversion: 1\nbackend: mock # fast\nresources: large\n')
    await setConfigValue(locations, 'user', 'defaults.resources', 'small')
    const text = await readFile(fx.userFile, 'utf8')
    expect(text).toContain('version: "2"')
    expect(text).toContain('backend: mock # fast')
    expect(text).not.toMatch(/^backend:/m)
    const { config } = await loadConfig({ cwd: fx.repo, env: fx.env })
    expect(config.defaults).toEqual({ backend: 'mock', resources: 'small' })
  })

  it('unsets a missing key without writing, and a whole emptied section away', async () => {
    expect(await unsetConfigValue(locations, 'user', 'defaults.backend')).toEqual({
      file: fx.userFile,
      removed: false,
    })
    await expect(stat(join(fx.home, '.nexus'))).rejects.toMatchObject({ code: 'ENOENT' })

    await setConfigValue(locations, 'user', 'ports.web.container', '3000')
    expect(await unsetConfigValue(locations, 'user', 'ports.api.container')).toMatchObject({ removed: false })
    expect(await unsetConfigValue(locations, 'user', 'ports.web.container')).toMatchObject({ removed: true })
    expect(await readFile(fx.userFile, 'utf8')).toBe('version: "2"\n')
  })

  it('can unset a bad key that makes the file invalid, as the load error suggests', async () => {
    await fx.write(fx.projectFile, 'exec: {transport: ssh}\nbogus: 1\ndefaults: {resources: huge}\n')
    const loadError = await rejectionOf(loadConfig({ cwd: fx.repo, env: fx.env }))
    expect(loadError.suggestion).toContain('nexus config unset bogus --scope project')
    // The file still has another problem, so removing only one key must not be written.
    const stillInvalid = await rejectionOf(unsetConfigValue(locations, 'project', 'bogus'))
    expect(stillInvalid.details).toMatchObject({ keyPath: 'defaults.resources' })
    expect(await readFile(fx.projectFile, 'utf8')).toContain('bogus: 1')
    await fx.write(fx.projectFile, 'exec: {transport: ssh}\nbogus: 1\n')
    expect(await unsetConfigValue(locations, 'project', 'bogus')).toMatchObject({ removed: true })
    expect((await loadConfig({ cwd: fx.repo, env: fx.env })).config.exec.transport).toBe('ssh')
  })

  it('keeps both of two concurrent writes to one file', async () => {
    await Promise.all([
      setConfigValue(locations, 'user', 'env.A', 'one'),
      setConfigValue(locations, 'user', 'env.B', 'two'),
      setConfigValue(locations, 'user', 'exec.transport', 'ssh'),
    ])
    const { config } = await loadConfig({ cwd: fx.repo, env: fx.env })
    expect(config.env).toEqual({ A: 'one', B: 'two' })
    expect(config.exec.transport).toBe('ssh')
  })

  it('refuses to edit a malformed file, naming its line', async () => {
    await fx.write(fx.userFile, 'defaults:\n  backend: [docker\n')
    const error = await rejectionOf(setConfigValue(locations, 'user', 'defaults.resources', 'small'))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain(fx.userFile)
    expect(error.message).toMatch(/line \d+/)
  })

  it('reports PERMISSION_DENIED for a system file it may not write, with the way out', async () => {
    const lockedDir = join(fx.root, 'locked')
    await mkdir(lockedDir)
    await chmod(lockedDir, 0o555)
    const systemLocations = { ...locations, systemFile: join(lockedDir, 'nexus', 'config.yaml') }
    // root ignores file modes: drop to an unprivileged effective user for the write, as a real user would be.
    const asRoot = process.getuid?.() === 0
    if (asRoot) process.seteuid?.(65534)
    let error
    try {
      error = await rejectionOf(setConfigValue(systemLocations, 'system', 'defaults.backend', 'mock'))
    } finally {
      if (asRoot) process.seteuid?.(0)
    }
    expect(error.code).toBe('PERMISSION_DENIED')
    expect(error.message).toContain(systemLocations.systemFile)
    expect(error.suggestion).toContain('sudo')
    expect(error.suggestion).toContain('NEXUS_SYSTEM_CONFIG')
  })
})
