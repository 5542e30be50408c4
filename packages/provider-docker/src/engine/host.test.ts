import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectNexusError } from '@nexus/core/testing'
import { draftWorkspace, makeTestHome, type TestHome } from '../__tests__/helpers.js'
import {
  ConfiguredHostStrategy,
  DefaultSocketStrategy,
  DockerContextStrategy,
  DockerHostEnvStrategy,
  defaultHostStrategies,
  resolveEndpoint,
} from './host.js'

describe('finding the engine', () => {
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nexus-docker-host-'))
  })

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  /** A docker CLI config dir with one context, laid out as `docker context create` does. */
  async function writeContext(
    configDir: string,
    name: string,
    host: string,
    current: boolean,
  ): Promise<void> {
    const digest = createHash('sha256').update(name).digest('hex')
    await mkdir(join(configDir, 'contexts', 'meta', digest), { recursive: true })
    await writeFile(
      join(configDir, 'contexts', 'meta', digest, 'meta.json'),
      JSON.stringify({ Name: name, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }),
    )
    if (current) await writeFile(join(configDir, 'config.json'), JSON.stringify({ currentContext: name }))
  }

  it('reads DOCKER_HOST for unix, tcp (with TLS material) and ssh addresses', async () => {
    expect(
      new DockerHostEnvStrategy({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }).getResult(),
    ).toMatchObject({
      location: 'unix:///run/user/1000/docker.sock',
      options: { socketPath: '/run/user/1000/docker.sock' },
    })
    const certs = join(dir, 'certs')
    await mkdir(certs, { recursive: true })
    for (const file of ['ca.pem', 'cert.pem', 'key.pem'])
      await writeFile(join(certs, file), `-----${file}-----\n`)
    const tls = new DockerHostEnvStrategy({
      DOCKER_HOST: 'tcp://build-box:2376',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: certs,
    }).getResult()
    expect(tls?.options).toMatchObject({ protocol: 'https', host: 'build-box', port: '2376' })
    expect(String(tls?.options.ca)).toBe('-----ca.pem-----\n')
    expect(
      new DockerHostEnvStrategy({
        DOCKER_HOST: 'ssh://dev@build-box:2222',
        SSH_AUTH_SOCK: '/tmp/agent',
      }).getResult()?.options,
    ).toMatchObject({
      protocol: 'ssh',
      host: 'build-box',
      port: '2222',
      username: 'dev',
      sshOptions: { agent: '/tmp/agent' },
    })
    expect(new DockerHostEnvStrategy({}).getResult()).toBeUndefined()
  })

  it('rejects a DOCKER_HOST that is not an engine address', async () => {
    await expectNexusError(
      () => new DockerHostEnvStrategy({ DOCKER_HOST: 'ftp://x' }).getResult(),
      'CONFIG_INVALID',
      'an ftp DOCKER_HOST',
    )
  })

  it("follows the docker CLI's current context, and DOCKER_CONTEXT over it", async () => {
    const configDir = join(dir, 'docker-config')
    await writeContext(configDir, 'colima', 'unix:///home/dev/.colima/docker.sock', true)
    await writeContext(configDir, 'remote', 'tcp://10.0.0.5:2375', false)
    expect(new DockerContextStrategy({ DOCKER_CONFIG: configDir }).getResult()).toMatchObject({
      source: 'docker context "colima"',
      options: { socketPath: '/home/dev/.colima/docker.sock' },
    })
    expect(
      new DockerContextStrategy({ DOCKER_CONFIG: configDir, DOCKER_CONTEXT: 'remote' }).getResult()?.options,
    ).toMatchObject({ host: '10.0.0.5', port: '2375', protocol: 'http' })
    expect(
      new DockerContextStrategy({ DOCKER_CONFIG: configDir, DOCKER_CONTEXT: 'default' }).getResult(),
    ).toBeUndefined()
    await expectNexusError(
      () => new DockerContextStrategy({ DOCKER_CONFIG: configDir, DOCKER_CONTEXT: 'gone' }).getResult(),
      'BACKEND_UNAVAILABLE',
      'a context without metadata',
    )
  })

  it('falls back to the default socket, preferring a per-user Docker Desktop socket', async () => {
    const home = join(dir, 'home')
    await mkdir(home, { recursive: true })
    expect(new DefaultSocketStrategy(home).getResult().options.socketPath).toBe('/var/run/docker.sock')
    await mkdir(join(home, '.docker', 'run'), { recursive: true })
    await writeFile(join(home, '.docker', 'run', 'docker.sock'), '')
    expect(new DefaultSocketStrategy(home).getResult().options.socketPath).toBe(
      join(home, '.docker', 'run', 'docker.sock'),
    )
  })

  it('tries nexus config, then DOCKER_HOST, then the context, then the default socket', () => {
    const env = { DOCKER_HOST: 'tcp://from-env:2375', HOME: join(dir, 'empty-home') }
    expect(resolveEndpoint(defaultHostStrategies({ socket: '/srv/docker.sock' }, env)).source).toBe(
      'backends.docker.socket',
    )
    expect(resolveEndpoint(defaultHostStrategies({}, env)).source).toBe('DOCKER_HOST')
    expect(resolveEndpoint(defaultHostStrategies({}, { HOME: join(dir, 'empty-home') })).source).toBe(
      'default socket',
    )
    expect(new ConfiguredHostStrategy({ host: 'tcp://configured:2375' }, {}).getName()).toBe(
      'nexus config (backends.docker)',
    )
  })
})

describe('an engine that does not answer', () => {
  let home: TestHome

  beforeAll(async () => {
    home = await makeTestHome()
  })

  afterAll(async () => {
    await home.cleanup()
  })

  it('fails create with BACKEND_UNAVAILABLE naming where it looked, and reports unhealthy', async () => {
    const provider = home.provider({ env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' } })
    const drafted = await draftWorkspace('down')
    try {
      await expectNexusError(
        () => provider.create({ workspace: drafted.workspace, spec: drafted.spec }),
        'BACKEND_UNAVAILABLE',
        'create against a dead socket',
      )
      const health = await provider.health()
      expect(health).toMatchObject({
        ok: false,
        message: 'The Docker engine at unix:///nonexistent.sock does not answer.',
        details: { code: 'BACKEND_UNAVAILABLE' },
      })
      await expectNexusError(() => provider.list(), 'BACKEND_UNAVAILABLE', 'list against a dead socket')
    } finally {
      await drafted.cleanup()
    }
  })
})
