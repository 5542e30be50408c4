import { NexusError, type JsonObject, type JsonValue } from '@nexus/core'
import { DEFAULT_NETWORK_POOL, invalidPool, parseCidr } from './network/subnets.js'

export const DEFAULT_BASE_IMAGE = 'debian:bookworm-slim'

/** The `backends.docker` config section, validated. */
export interface DockerBackendConfig {
  /** What the workspace image is built FROM when no project image or Dockerfile is given. */
  baseImage: string
  /** A project image to layer sshd and the workspace user onto. */
  image: string | undefined
  /** A project Dockerfile (relative to the repository root) to build, then layer onto. */
  dockerfile: string | undefined
  socket: string | undefined
  host: string | undefined
  /** `no-new-privileges` on the workspace container; it makes sudo inside refuse to run. */
  noNewPrivileges: boolean
  /** Capabilities added to the minimal set sshd needs. */
  capAdd: string[]
  /** Driver for volumes made by `docker.volume.create`; only non-local drivers take a size. */
  volumeDriver: string
  /** How long start waits for sshd and service healthchecks. */
  startTimeoutSeconds: number
  /** The IPv4 range that per-workspace networks are carved from (a /26 each). */
  networkPool: string
}

const KEYS = [
  'base_image',
  'image',
  'dockerfile',
  'socket',
  'host',
  'no_new_privileges',
  'cap_add',
  'volume_driver',
  'start_timeout_seconds',
  'network_pool',
]

function invalid(key: string, expected: string, got: JsonValue | undefined): NexusError {
  return new NexusError(
    'CONFIG_INVALID',
    `backends.docker.${key} must be ${expected}, got ${JSON.stringify(got)}.`,
    {
      suggestion: `Fix it with \`nexus config set backends.docker.${key} <value>\`, or remove it to use the default.`,
      details: { key: `backends.docker.${key}` },
    },
  )
}

function optionalString(section: JsonObject, key: string): string | undefined {
  const value = section[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || value.trim() === '') throw invalid(key, 'a non-empty string', value)
  return value.trim()
}

function optionalBoolean(section: JsonObject, key: string, fallback: boolean): boolean {
  const value = section[key]
  if (value === undefined || value === null) return fallback
  if (typeof value !== 'boolean') throw invalid(key, 'true or false', value)
  return value
}

function optionalPositive(section: JsonObject, key: string, fallback: number): number {
  const value = section[key]
  if (value === undefined || value === null) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw invalid(key, 'a positive number', value)
  return value
}

function capabilityList(section: JsonObject): string[] {
  const value = section.cap_add
  if (value === undefined || value === null) return []
  if (
    !Array.isArray(value) ||
    value.some((cap) => typeof cap !== 'string' || !/^[A-Z_]+$/.test(cap.replace(/^CAP_/, '')))
  ) {
    throw invalid('cap_add', 'a list of capability names like ["NET_ADMIN"]', value)
  }
  return (value as string[]).map((cap) => cap.replace(/^CAP_/, ''))
}

export function parseDockerConfig(section: JsonObject): DockerBackendConfig {
  const unknown = Object.keys(section).filter((key) => !KEYS.includes(key))
  if (unknown.length > 0) {
    throw new NexusError('CONFIG_INVALID', `backends.docker has unknown setting(s): ${unknown.join(', ')}.`, {
      suggestion: `Remove them; known settings are ${KEYS.join(', ')}.`,
      details: { unknown },
    })
  }
  const image = optionalString(section, 'image')
  const dockerfile = optionalString(section, 'dockerfile')
  const socket = optionalString(section, 'socket')
  const host = optionalString(section, 'host')
  if (image && dockerfile) {
    throw new NexusError(
      'CONFIG_INVALID',
      'backends.docker sets both image and dockerfile; a workspace can use only one.',
      {
        suggestion: 'Remove one of them with `nexus config unset backends.docker.image` (or .dockerfile).',
      },
    )
  }
  if (socket && host) {
    throw new NexusError(
      'CONFIG_INVALID',
      'backends.docker sets both socket and host; the engine can be reached only one way.',
      {
        suggestion: 'Remove one of them with `nexus config unset backends.docker.host` (or .socket).',
      },
    )
  }
  return {
    baseImage: optionalString(section, 'base_image') ?? DEFAULT_BASE_IMAGE,
    image,
    dockerfile,
    socket,
    host,
    noNewPrivileges: optionalBoolean(section, 'no_new_privileges', true),
    capAdd: capabilityList(section),
    volumeDriver: optionalString(section, 'volume_driver') ?? 'local',
    startTimeoutSeconds: optionalPositive(section, 'start_timeout_seconds', 60),
    networkPool: networkPool(section),
  }
}

function networkPool(section: JsonObject): string {
  const pool = optionalString(section, 'network_pool') ?? DEFAULT_NETWORK_POOL
  if (!parseCidr(pool)) throw invalidPool(pool)
  return pool
}

/** `lifecycle.stop_grace_seconds` from the whole config (default 10). */
export function stopGraceSeconds(globalConfig: JsonObject): number {
  const lifecycle = globalConfig.lifecycle
  if (typeof lifecycle !== 'object' || lifecycle === null || Array.isArray(lifecycle)) return 10
  const grace = lifecycle.stop_grace_seconds
  return typeof grace === 'number' && Number.isFinite(grace) && grace >= 0 ? grace : 10
}

/** The image choice for one workspace: flags (`--image`, `--dockerfile`, `--base-image`) override config. */
export interface ImageChoice {
  kind: 'base' | 'image' | 'dockerfile'
  /** The base image, project image, or Dockerfile path. */
  reference: string
}

export function chooseImage(config: DockerBackendConfig, options: JsonObject): ImageChoice {
  const option = (key: string): string | undefined => {
    const value = options[key]
    if (value === undefined || value === null || value === '') return undefined
    if (typeof value !== 'string') {
      throw new NexusError(
        'INVALID_ARGUMENT',
        `The ${key} option must be a string, got ${JSON.stringify(value)}.`,
        {
          suggestion: `Pass it as --${key.replace(/_/g, '-')} <value>.`,
        },
      )
    }
    return value
  }
  const image = option('image')
  const dockerfile = option('dockerfile')
  const base = option('base_image')
  if (image) return { kind: 'image', reference: image }
  if (dockerfile) return { kind: 'dockerfile', reference: dockerfile }
  if (base) return { kind: 'base', reference: base }
  if (config.image) return { kind: 'image', reference: config.image }
  if (config.dockerfile) return { kind: 'dockerfile', reference: config.dockerfile }
  return { kind: 'base', reference: config.baseImage }
}
