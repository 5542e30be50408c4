import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
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

describe('loadConfig precedence', () => {
  it('layers defaults < system < user < project < flags < env, and records where each leaf came from', async () => {
    await fx.write(
      fx.systemFile,
      'defaults:\n  backend: sys-backend\n  resources: medium\nexec:\n  transport: native\nlifecycle:\n  stop_grace_seconds: 1\nswitch:\n  previous: keep\n',
    )
    await fx.write(
      fx.userFile,
      'defaults:\n  resources: large\nexec:\n  transport: ssh\nlifecycle:\n  stop_grace_seconds: 2\n',
    )
    await fx.write(fx.projectFile, 'exec:\n  transport: auto\nlifecycle:\n  stop_grace_seconds: 3\n')
    const loaded = await loadConfig({
      cwd: fx.repo,
      env: { ...fx.env, NEXUS_STOP_GRACE_SECONDS: '5' },
      flags: {
        lifecycle: { stop_grace_seconds: 4 },
        switch: { previous: 'stop' },
        defaults: { backend: undefined },
      },
    })

    expect(loaded.config.ssh.forward_agent).toBe(true)
    expect(loaded.origins.get('ssh.forward_agent')).toEqual({ scope: 'default' })
    expect(loaded.config.defaults.backend).toBe('sys-backend')
    expect(loaded.origins.get('defaults.backend')).toEqual({ scope: 'system', file: fx.systemFile })
    expect(loaded.config.defaults.resources).toBe('large')
    expect(loaded.origins.get('defaults.resources')).toEqual({ scope: 'user', file: fx.userFile })
    expect(loaded.config.exec.transport).toBe('auto')
    expect(loaded.origins.get('exec.transport')).toEqual({ scope: 'project', file: fx.projectFile })
    expect(loaded.config.switch.previous).toBe('stop')
    expect(loaded.origins.get('switch.previous')).toEqual({ scope: 'flags' })
    expect(loaded.config.lifecycle.stop_grace_seconds).toBe(5)
    expect(loaded.origins.get('lifecycle.stop_grace_seconds')).toEqual({
      scope: 'env',
      envVar: 'NEXUS_STOP_GRACE_SECONDS',
    })
  })

  it('applies every documented NEXUS_* variable over the files', async () => {
    await fx.write(
      fx.projectFile,
      'defaults: {backend: docker, resources: small}\nbackends: {daytona: {target: eu}}\n',
    )
    const loaded = await loadConfig({
      cwd: fx.repo,
      env: {
        ...fx.env,
        NEXUS_BACKEND: 'mock',
        NEXUS_RESOURCES: 'xlarge',
        NEXUS_EXEC_TRANSPORT: 'native',
        NEXUS_SWITCH_PREVIOUS: 'keep',
        NEXUS_DAYTONA_REGION: 'us',
        NEXUS_STOP_GRACE_SECONDS: '2.5',
      },
    })
    expect(loaded.config.defaults).toEqual({ backend: 'mock', resources: 'xlarge' })
    expect(loaded.config.exec.transport).toBe('native')
    expect(loaded.config.switch.previous).toBe('keep')
    expect(loaded.config.backends.daytona).toEqual({ target: 'us' })
    expect(loaded.config.lifecycle.stop_grace_seconds).toBe(2.5)
    expect(loaded.origins.get('backends.daytona.target')).toEqual({
      scope: 'env',
      envVar: 'NEXUS_DAYTONA_REGION',
    })
  })

  it('merges objects deeply but replaces lists', async () => {
    await fx.write(
      fx.userFile,
      'env: {A: user, B: user}\nenv_files: [user.env, shared.env]\nbackends: {docker: {image: x, cpus: 2}}\n',
    )
    await fx.write(
      fx.projectFile,
      'env: {B: project}\nenv_files: [project.env]\nbackends: {docker: {image: y}}\n',
    )
    const { config, origins } = await loadConfig({ cwd: fx.repo, env: fx.env })
    expect(config.env).toEqual({ A: 'user', B: 'project' })
    expect(config.backends.docker).toEqual({ image: 'y', cpus: 2 })
    expect(origins.get('backends.docker.cpus')).toEqual({ scope: 'user', file: fx.userFile })
    // Relative to the file that names them.
    expect(config.env_files).toEqual([join(fx.repo, '.nexus', 'project.env')])
  })

  it('gives the built-in defaults when there are no files', async () => {
    const loaded = await loadConfig({ cwd: fx.root, env: fx.env })
    expect(loaded.locations.projectFile).toBeNull()
    expect(loaded.config).toEqual({
      version: '2',
      defaults: { backend: 'docker', resources: 'small' },
      backends: {},
      ports: {},
      env: {},
      env_files: [],
      services: {},
      ssh: { injection: { include_agent_keys: false }, forward_agent: true },
      exec: { transport: 'auto' },
      switch: { previous: 'pause' },
      lifecycle: { stop_grace_seconds: 10 },
    })
    expect(listConfig(loaded).every((entry) => entry.origin.scope === 'default')).toBe(true)
  })

  it('gives the same defaults when the flags passed were all left out', async () => {
    const withoutFlags = await loadConfig({ cwd: fx.repo, env: fx.env })
    for (const flags of [{}, { backend: undefined }, { defaults: { backend: undefined } }]) {
      const loaded = await loadConfig({ cwd: fx.repo, env: fx.env, flags })
      expect(loaded.config).toStrictEqual(withoutFlags.config)
      expect(loaded.origins).toEqual(withoutFlags.origins)
    }
  })

  it('finds the project file from a nested subdirectory, and a .yml one too', async () => {
    await fx.write(join(fx.repo, '.nexus', 'config.yml'), 'defaults: {backend: from-yml}\n')
    const nested = join(fx.repo, 'src', 'deep', 'er')
    await mkdir(nested, { recursive: true })
    const loaded = await loadConfig({ cwd: nested, env: fx.env })
    expect(loaded.locations.projectFile).toBe(join(fx.repo, '.nexus', 'config.yml'))
    expect(loaded.config.defaults.backend).toBe('from-yml')
  })
})

describe('loadConfig values', () => {
  it('resolves ${VAR}, ${VAR:-default} and env:VAR from the env passed in', async () => {
    await fx.write(
      fx.projectFile,
      [
        'backends:',
        '  daytona:',
        '    api_key: env:DAYTONA_KEY',
        '    url: "https://${DAYTONA_HOST}/api"',
        '    region: ${REGION:-us-east-1}',
        '    missing: ${NOT_SET}',
        '    literal: "$${NOT_SET}"',
        'defaults:',
        '  resources: ${SIZE}',
        '',
      ].join('\n'),
    )
    const { config, origins } = await loadConfig({
      cwd: fx.repo,
      env: { ...fx.env, DAYTONA_KEY: 'k-123', DAYTONA_HOST: 'example.test', SIZE: 'large' },
    })
    expect(config.backends.daytona).toEqual({
      api_key: 'k-123',
      url: 'https://example.test/api',
      region: 'us-east-1',
      missing: '',
      literal: '${NOT_SET}',
    })
    expect(config.defaults.resources).toBe('large')
    expect(origins.get('backends.daytona.api_key')).toEqual({ scope: 'project', file: fx.projectFile })
  })

  it('migrates a version 1 file in memory', async () => {
    await fx.write(fx.userFile, 'version: 1\nbackend: mock\nresources: medium\nenv: {A: "1"}\n')
    await fx.write(fx.projectFile, 'version: "1"\nbackend: docker\ndefaults: {backend: explicit}\n')
    const { config, origins } = await loadConfig({ cwd: fx.repo, env: fx.env })
    expect(config.version).toBe('2')
    expect(config.defaults).toEqual({ backend: 'explicit', resources: 'medium' })
    expect(origins.get('defaults.resources')).toEqual({ scope: 'user', file: fx.userFile })
    expect(config.env).toEqual({ A: '1' })
  })

  it('treats a file without a version as version 2, and says how to fix a version 1 key in it', async () => {
    await fx.write(fx.projectFile, 'backend: mock\n')
    const error = await rejectionOf(loadConfig({ cwd: fx.repo, env: fx.env }))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain('backend')
    expect(error.message).toContain('defaults.backend')
  })

  it('turns YAML numbers and booleans in env maps into strings', async () => {
    await fx.write(
      fx.projectFile,
      'env: {PORT: 3000, DEBUG: true}\nservices: {db: {image: postgres, env: {PGPORT: 5432}}}\n',
    )
    const { config } = await loadConfig({ cwd: fx.repo, env: fx.env })
    expect(config.env).toEqual({ PORT: '3000', DEBUG: 'true' })
    expect(config.services.db?.env).toEqual({ PGPORT: '5432' })
  })
})

describe('getConfigValue and listConfig', () => {
  it('reads a leaf with its origin, a section as an object, and lists leaves sorted', async () => {
    await fx.write(fx.userFile, 'ports: {web: {container: 3000, host: 3000}}\n')
    const loaded = await loadConfig({ cwd: fx.repo, env: { ...fx.env, NEXUS_BACKEND: 'mock' } })
    expect(getConfigValue(loaded, 'ports.web.host')).toEqual({
      value: 3000,
      origin: { scope: 'user', file: fx.userFile },
    })
    expect(getConfigValue(loaded, 'defaults')).toEqual({
      value: { backend: 'mock', resources: 'small' },
      origin: undefined,
    })
    expect(getConfigValue(loaded, 'backends.nope.x')).toEqual({ value: undefined, origin: undefined })
    const keys = listConfig(loaded).map((entry) => entry.key)
    expect(keys).toEqual([...keys].sort())
    expect(keys).toContain('ports.web.container')
    expect(listConfig(loaded).find((entry) => entry.key === 'defaults.backend')).toEqual({
      key: 'defaults.backend',
      value: 'mock',
      origin: { scope: 'env', envVar: 'NEXUS_BACKEND' },
    })
  })

  it('rejects an unknown top-level key, listing the valid ones', async () => {
    const loaded = await loadConfig({ cwd: fx.repo, env: fx.env })
    expect(() => getConfigValue(loaded, 'defualts.backend')).toThrow(/Unknown config key "defualts.backend"/)
  })
})

describe('loadConfig errors', () => {
  const malformed = 'defaults:\n  backend: docker\n  resources: [small\nexec: {}\n'

  it.each(['system', 'user', 'project'] as const)(
    'reports malformed YAML in the %s file with its path and line',
    async (scope) => {
      const file = { system: fx.systemFile, user: fx.userFile, project: fx.projectFile }[scope]
      await fx.write(file, malformed)
      const error = await rejectionOf(loadConfig({ cwd: fx.repo, env: fx.env }))
      expect(error.code).toBe('CONFIG_INVALID')
      expect(error.message).toContain(file)
      expect(error.message).toMatch(/line \d+/)
      expect(error.details).toMatchObject({ file, scope })
    },
  )

  it('names the file, the key path and what was expected for a schema violation', async () => {
    await fx.write(fx.userFile, 'defaults:\n  resources: huge\n')
    const error = await rejectionOf(loadConfig({ cwd: fx.repo, env: fx.env }))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain(fx.userFile)
    expect(error.message).toContain('defaults.resources')
    expect(error.message).toContain('one of small, medium, large, xlarge')
    expect(error.suggestion).toBe(
      `Fix ${fx.userFile} or run \`nexus config unset defaults.resources --scope user\`.`,
    )
    expect(error.details).toMatchObject({ file: fx.userFile, keyPath: 'defaults.resources', scope: 'user' })
  })

  it('names an unknown key and the valid top-level keys', async () => {
    await fx.write(fx.projectFile, 'exec: {transport: ssh}\nport: {web: 1}\n')
    const error = await rejectionOf(loadConfig({ cwd: fx.repo, env: fx.env }))
    expect(error.details).toMatchObject({ keyPath: 'port', scope: 'project' })
    expect(error.message).toContain('valid top-level keys are version, defaults, backends, ports')
  })

  it('checks nested sections strictly but leaves backends.<name> free-form', async () => {
    await fx.write(
      fx.projectFile,
      'backends: {docker: {anything: {goes: [1, 2]}}}\nssh: {injection: {include_agent_key: true}}\n',
    )
    const error = await rejectionOf(loadConfig({ cwd: fx.repo, env: fx.env }))
    expect(error.details).toMatchObject({ keyPath: 'ssh.injection.include_agent_key' })
  })

  it('never puts a resolved secret into the message', async () => {
    await fx.write(
      fx.projectFile,
      'ports: {web: {container: "${WEB_PORT}"}}\nlifecycle: {stop_grace_seconds: env:SECRET}\n',
    )
    const error = await rejectionOf(
      loadConfig({ cwd: fx.repo, env: { ...fx.env, WEB_PORT: 'hunter2-port', SECRET: 'hunter2' } }),
    )
    expect(error.code).toBe('CONFIG_INVALID')
    expect(
      JSON.stringify({ message: error.message, suggestion: error.suggestion, details: error.details }),
    ).not.toContain('hunter2')
  })

  it('names the variable for a bad NEXUS_* value', async () => {
    const error = await rejectionOf(
      loadConfig({ cwd: fx.repo, env: { ...fx.env, NEXUS_EXEC_TRANSPORT: 'carrier-pigeon' } }),
    )
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain('NEXUS_EXEC_TRANSPORT')
    expect(error.message).toContain('one of auto, ssh, native')
    expect(error.details).toMatchObject({
      envVar: 'NEXUS_EXEC_TRANSPORT',
      keyPath: 'exec.transport',
      scope: 'env',
    })
  })

  it('rejects invalid flags as such', async () => {
    const error = await rejectionOf(
      loadConfig({ cwd: fx.repo, env: fx.env, flags: { defaults: { resources: 'tiny' } } }),
    )
    expect(error.message).toContain('command-line flags')
    expect(error.details).toMatchObject({ scope: 'flags', keyPath: 'defaults.resources' })
  })

  it('rejects a file whose top level is not a mapping', async () => {
    await fx.write(fx.projectFile, '- backend: docker\n')
    const error = await rejectionOf(loadConfig({ cwd: fx.repo, env: fx.env }))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain(fx.projectFile)
  })
})
