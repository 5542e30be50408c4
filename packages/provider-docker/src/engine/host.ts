import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { NexusError } from '@nexus/core'
import type Dockerode from 'dockerode'

/** Where the engine is and how to reach it. */
export interface EngineEndpoint {
  /** For messages: `unix:///var/run/docker.sock`, `tcp://host:2376`. */
  location: string
  /** Which strategy found it. */
  source: string
  options: Dockerode.DockerOptions
}

/** One way of finding the engine; strategies are tried in order and the first answer wins. */
export interface HostStrategy {
  getName(): string
  getResult(): EngineEndpoint | undefined
}

type Env = Readonly<Record<string, string | undefined>>

interface TlsFiles {
  ca?: Buffer
  cert?: Buffer
  key?: Buffer
}

/** Turns a Docker address (`unix://`, `tcp://`, `ssh://`, `npipe://`) into dockerode options. */
export function endpointFromAddress(
  address: string,
  source: string,
  tls: { verify: boolean; files: TlsFiles },
  env: Env,
): EngineEndpoint {
  const invalid = () =>
    new NexusError('CONFIG_INVALID', `"${address}" (from ${source}) is not a Docker engine address.`, {
      suggestion: 'Use unix:///var/run/docker.sock, tcp://<host>:2375, or ssh://<user>@<host>.',
    })
  if (address.startsWith('unix://') || address.startsWith('npipe://')) {
    const socketPath = address.replace(/^(unix|npipe):\/\//, '')
    if (!socketPath) throw invalid()
    // host: undefined overrides any DOCKER_HOST that docker-modem would read from the process environment itself.
    return { location: address, source, options: { socketPath, host: undefined } }
  }
  let url: URL
  try {
    url = new URL(address.includes('://') ? address : `tcp://${address}`)
  } catch {
    throw invalid()
  }
  if (!url.hostname) throw invalid()
  if (url.protocol === 'ssh:') {
    const agent = env.SSH_AUTH_SOCK
    return {
      location: address,
      source,
      options: {
        protocol: 'ssh',
        host: url.hostname,
        port: url.port || 22,
        ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
        ...(agent ? { sshOptions: { agent } } : {}),
      },
    }
  }
  if (!['tcp:', 'http:', 'https:'].includes(url.protocol)) throw invalid()
  const secure =
    url.protocol === 'https:' || tls.verify || url.port === '2376' || tls.files.cert !== undefined
  return {
    location: address,
    source,
    options: {
      protocol: secure ? 'https' : 'http',
      host: url.hostname,
      port: url.port || (secure ? 2376 : 2375),
      ...tls.files,
    },
  }
}

function readTlsFiles(directory: string | undefined): TlsFiles {
  if (!directory) return {}
  const read = (name: string) => {
    const path = join(directory, name)
    return existsSync(path) ? readFileSync(path) : undefined
  }
  const files: TlsFiles = {}
  const ca = read('ca.pem')
  const cert = read('cert.pem')
  const key = read('key.pem')
  if (ca) files.ca = ca
  if (cert) files.cert = cert
  if (key) files.key = key
  return files
}

/** `backends.docker.socket` or `backends.docker.host` from nexus config. */
export class ConfiguredHostStrategy implements HostStrategy {
  constructor(
    private readonly configured: { socket?: string | undefined; host?: string | undefined },
    private readonly env: Env,
  ) {}

  getName(): string {
    return 'nexus config (backends.docker)'
  }

  getResult(): EngineEndpoint | undefined {
    if (this.configured.socket) {
      const address = this.configured.socket.includes('://')
        ? this.configured.socket
        : `unix://${this.configured.socket}`
      return endpointFromAddress(address, 'backends.docker.socket', { verify: false, files: {} }, this.env)
    }
    if (this.configured.host) {
      return endpointFromAddress(
        this.configured.host,
        'backends.docker.host',
        { verify: false, files: {} },
        this.env,
      )
    }
    return undefined
  }
}

/** `DOCKER_HOST` (with `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH`), as the docker CLI reads them. */
export class DockerHostEnvStrategy implements HostStrategy {
  constructor(private readonly env: Env) {}

  getName(): string {
    return 'DOCKER_HOST'
  }

  getResult(): EngineEndpoint | undefined {
    const address = this.env.DOCKER_HOST
    if (!address) return undefined
    const verify = this.env.DOCKER_TLS_VERIFY === '1'
    return endpointFromAddress(
      address,
      'DOCKER_HOST',
      { verify, files: readTlsFiles(this.env.DOCKER_CERT_PATH) },
      this.env,
    )
  }
}

interface ContextMeta {
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } }
}

/**
 * The docker CLI's current context (`DOCKER_CONTEXT`, else `currentContext` in `~/.docker/config.json`): Docker
 * Desktop, colima and rootless setups register their socket this way rather than at the default path.
 */
export class DockerContextStrategy implements HostStrategy {
  constructor(
    private readonly env: Env,
    private readonly home: string = homedir(),
  ) {}

  getName(): string {
    return 'docker context'
  }

  private configDir(): string {
    return this.env.DOCKER_CONFIG ?? join(this.home, '.docker')
  }

  private currentContext(): string | undefined {
    if (this.env.DOCKER_CONTEXT) return this.env.DOCKER_CONTEXT
    const configPath = join(this.configDir(), 'config.json')
    if (!existsSync(configPath)) return undefined
    try {
      const config = JSON.parse(readFileSync(configPath, 'utf8')) as { currentContext?: unknown }
      return typeof config.currentContext === 'string' ? config.currentContext : undefined
    } catch {
      // A config.json the docker CLI itself would reject is not ours to report; fall through to the next strategy.
      return undefined
    }
  }

  getResult(): EngineEndpoint | undefined {
    const name = this.currentContext()
    if (!name || name === 'default') return undefined
    const digest = createHash('sha256').update(name).digest('hex')
    const metaPath = join(this.configDir(), 'contexts', 'meta', digest, 'meta.json')
    if (!existsSync(metaPath)) {
      throw new NexusError(
        'BACKEND_UNAVAILABLE',
        `The current docker context "${name}" has no metadata at ${metaPath}.`,
        {
          suggestion:
            'Switch to a working context with `docker context use default`, then run `nexus doctor`.',
        },
      )
    }
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as ContextMeta
    const endpoint = meta.Endpoints?.docker
    if (!endpoint?.Host) return undefined
    const tlsDir = join(this.configDir(), 'contexts', 'tls', digest, 'docker')
    const files = endpoint.SkipTLSVerify ? {} : readTlsFiles(existsSync(tlsDir) ? tlsDir : undefined)
    return endpointFromAddress(endpoint.Host, `docker context "${name}"`, { verify: false, files }, this.env)
  }
}

/** The engine's default socket; Docker Desktop puts a per-user one under `~/.docker/run`. */
export class DefaultSocketStrategy implements HostStrategy {
  constructor(private readonly home: string = homedir()) {}

  getName(): string {
    return 'default socket'
  }

  getResult(): EngineEndpoint {
    const userSocket = join(this.home, '.docker', 'run', 'docker.sock')
    const socketPath = existsSync(userSocket) ? userSocket : '/var/run/docker.sock'
    return {
      location: `unix://${socketPath}`,
      source: 'default socket',
      options: { socketPath, host: undefined },
    }
  }
}

export function defaultHostStrategies(
  configured: { socket?: string | undefined; host?: string | undefined },
  env: Env,
): HostStrategy[] {
  const home = env.HOME ?? homedir()
  return [
    new ConfiguredHostStrategy(configured, env),
    new DockerHostEnvStrategy(env),
    new DockerContextStrategy(env, home),
    new DefaultSocketStrategy(home),
  ]
}

export function resolveEndpoint(strategies: HostStrategy[]): EngineEndpoint {
  for (const strategy of strategies) {
    const result = strategy.getResult()
    if (result) return result
  }
  throw new NexusError('BACKEND_UNAVAILABLE', 'No Docker engine address was found.', {
    suggestion: 'Set DOCKER_HOST or backends.docker.socket, then run `nexus doctor`.',
  })
}
