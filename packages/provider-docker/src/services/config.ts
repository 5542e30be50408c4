import { isAbsolute, resolve } from 'node:path'
import { NexusError, type JsonObject, type JsonValue } from '@nexus/core'
import type Dockerode from 'dockerode'

export type ServiceMount =
  | { kind: 'volume'; volume: string; target: string; readOnly: boolean }
  | { kind: 'bind'; source: string; target: string; readOnly: boolean }

/** One `services:` entry (compose-style), validated. Ports are not here: core allocates them into workspace.ports. */
export interface ServiceDefinition {
  name: string
  image: string
  command: string[] | undefined
  env: Record<string, string>
  mounts: ServiceMount[]
  dependsOn: string[]
  healthcheck: Dockerode.HealthConfig | undefined
}

const NAME = /^[a-z0-9][a-z0-9_.-]*$/
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

function invalid(path: string, problem: string, suggestion?: string): NexusError {
  const key = path ? `services.${path}` : 'services'
  return new NexusError('CONFIG_INVALID', `${key} ${problem}.`, {
    suggestion:
      suggestion ??
      `Fix ${key} in your nexus config (compose-style: image, command, env, volumes, depends_on, healthcheck).`,
    details: { key },
  })
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `5s`, `1m30s`, `250ms`, or a number of seconds → nanoseconds (what the engine's HealthConfig wants). */
export function durationToNanos(value: JsonValue | undefined, path: string): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number' && value >= 0) return Math.round(value * 1e9)
  if (typeof value !== 'string') throw invalid(path, 'must be a duration like "5s"')
  const units: Record<string, number> = { ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)]
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value.replace(/\s+/g, '')) {
    throw invalid(path, `must be a duration like "5s", got ${JSON.stringify(value)}`)
  }
  return Math.round(
    parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * (units[unit as string] ?? 0), 0),
  )
}

function stringList(value: JsonValue | undefined, path: string): string[] | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return ['/bin/sh', '-c', value]
  if (Array.isArray(value) && value.every((part) => typeof part === 'string')) return value as string[]
  throw invalid(path, 'must be a string or a list of strings')
}

function parseEnv(entry: JsonObject, path: string): Record<string, string> {
  const raw = entry.env ?? entry.environment
  if (raw === undefined || raw === null) return {}
  const env: Record<string, string> = {}
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (typeof item !== 'string' || !item.includes('='))
        throw invalid(`${path}.env`, 'entries must look like KEY=value')
      const at = item.indexOf('=')
      env[item.slice(0, at)] = item.slice(at + 1)
    }
    return env
  }
  if (!isObject(raw)) throw invalid(`${path}.env`, 'must be a map of names to values')
  for (const [key, value] of Object.entries(raw)) {
    if (value === null || typeof value === 'object')
      throw invalid(`${path}.env.${key}`, 'must be a string, number or boolean')
    env[key] = String(value)
  }
  return env
}

function parseMount(raw: JsonValue, path: string, projectDir: string): ServiceMount {
  let source: string | undefined
  let target: string | undefined
  let readOnly = false
  if (typeof raw === 'string') {
    const parts = raw.split(':')
    ;[source, target] = parts
    readOnly = parts[2] === 'ro'
  } else if (isObject(raw)) {
    source = typeof raw.source === 'string' ? raw.source : undefined
    target = typeof raw.target === 'string' ? raw.target : undefined
    readOnly = raw.read_only === true
  }
  if (!source || !target || !isAbsolute(target))
    throw invalid(path, 'must look like "<volume>:/path", "./dir:/path" or "/host/dir:/path"')
  if (source.startsWith('/') || source.startsWith('.')) {
    return {
      kind: 'bind',
      source: isAbsolute(source) ? source : resolve(projectDir, source),
      target,
      readOnly,
    }
  }
  if (!VOLUME_NAME.test(source))
    throw invalid(path, `names a volume "${source}" with characters Docker does not allow`)
  return { kind: 'volume', volume: source, target, readOnly }
}

/** A test command as compose writes it; a bare list (as nexus config allows) runs as CMD. */
function healthTest(test: JsonValue | undefined, path: string): string[] {
  if (typeof test === 'string') return ['CMD-SHELL', test]
  if (Array.isArray(test) && test.length > 0 && test.every((part) => typeof part === 'string')) {
    const parts = test as string[]
    return ['CMD', 'CMD-SHELL', 'NONE'].includes(parts[0] as string) ? parts : ['CMD', ...parts]
  }
  throw invalid(`${path}.test`, 'must be a command string or a list of strings')
}

/** The first of the keys that is set, as nanoseconds: `<key>_seconds` is nexus's form, `<key>` compose's duration. */
function nanosOf(raw: JsonObject, key: string, path: string): number | undefined {
  const seconds = raw[`${key}_seconds`]
  if (seconds !== undefined && seconds !== null) {
    if (typeof seconds !== 'number' || seconds < 0)
      throw invalid(`${path}.${key}_seconds`, 'must be a number of seconds')
    return Math.round(seconds * 1e9)
  }
  return durationToNanos(raw[key], `${path}.${key}`)
}

function parseHealthcheck(raw: JsonValue | undefined, path: string): Dockerode.HealthConfig | undefined {
  if (raw === undefined || raw === null) return undefined
  if (!isObject(raw)) throw invalid(path, 'must be a map with test, interval_seconds, retries')
  if (raw.disable === true) return { Test: ['NONE'] }
  const config: Dockerode.HealthConfig = { Test: healthTest(raw.test, path) }
  const interval = nanosOf(raw, 'interval', path)
  const timeout = nanosOf(raw, 'timeout', path)
  const startPeriod = nanosOf(raw, 'start_period', path)
  if (interval !== undefined) config.Interval = interval
  if (timeout !== undefined) config.Timeout = timeout
  if (startPeriod !== undefined) config.StartPeriod = startPeriod
  if (raw.retries !== undefined) {
    if (typeof raw.retries !== 'number' || raw.retries < 0)
      throw invalid(`${path}.retries`, 'must be a number')
    config.Retries = raw.retries
  }
  return config
}

function parseDependsOn(raw: JsonValue | undefined, path: string): string[] {
  if (raw === undefined || raw === null) return []
  if (Array.isArray(raw) && raw.every((name) => typeof name === 'string')) return raw as string[]
  // The long compose form (`depends_on: {db: {condition: service_healthy}}`): nexus always waits for health.
  if (isObject(raw)) return Object.keys(raw)
  throw invalid(path, 'must be a list of service names')
}

/** Parses `services:` from the whole config; relative bind sources resolve against `projectDir` (the worktree). */
export function parseServices(globalConfig: JsonObject, projectDir: string): ServiceDefinition[] {
  const section = globalConfig.services
  if (section === undefined || section === null) return []
  if (!isObject(section)) throw invalid('', 'must be a map of service names to definitions')
  const services: ServiceDefinition[] = []
  for (const [name, entry] of Object.entries(section)) {
    if (!NAME.test(name))
      throw invalid(
        name,
        'is not a valid service name',
        'Use lower-case letters, digits, dots, dashes and underscores.',
      )
    if (!isObject(entry)) throw invalid(name, 'must be a map (image, command, env, …)')
    if (typeof entry.image !== 'string' || !entry.image) throw invalid(`${name}.image`, 'must name an image')
    const volumes = entry.volumes ?? []
    if (!Array.isArray(volumes)) throw invalid(`${name}.volumes`, 'must be a list')
    services.push({
      name,
      image: entry.image,
      command: stringList(entry.command, `${name}.command`),
      env: parseEnv(entry, name),
      mounts: volumes.map((raw, index) => parseMount(raw, `${name}.volumes[${index}]`, projectDir)),
      dependsOn: parseDependsOn(entry.depends_on, `${name}.depends_on`),
      healthcheck: parseHealthcheck(entry.healthcheck, `${name}.healthcheck`),
    })
  }
  startLevels(services)
  return services
}

/**
 * Groups services into levels that can start together: each level depends only on earlier ones. Throws
 * CONFIG_INVALID on an unknown dependency or a cycle.
 */
export function startLevels(services: ServiceDefinition[]): ServiceDefinition[][] {
  const byName = new Map(services.map((service) => [service.name, service]))
  for (const service of services) {
    for (const dependency of service.dependsOn) {
      if (!byName.has(dependency))
        throw invalid(`${service.name}.depends_on`, `names "${dependency}", which is not a service`)
    }
  }
  const levels: ServiceDefinition[][] = []
  const placed = new Set<string>()
  while (placed.size < services.length) {
    const level = services.filter((s) => !placed.has(s.name) && s.dependsOn.every((d) => placed.has(d)))
    if (level.length === 0) {
      const stuck = services.filter((s) => !placed.has(s.name)).map((s) => s.name)
      throw invalid(
        '',
        `depend on each other in a cycle (${stuck.join(', ')})`,
        'Remove one of the depends_on entries that close the cycle.',
      )
    }
    levels.push(level)
    for (const service of level) placed.add(service.name)
  }
  return levels
}
