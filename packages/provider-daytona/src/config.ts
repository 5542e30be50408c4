import { NexusError, type JsonObject } from '@nexus/core'
import { z } from 'zod'

export const DEFAULT_API_URL = 'https://app.daytona.io/api'

/** The `backends.daytona` config section, validated and with env defaults applied. */
export interface DaytonaBackendConfig {
  /** Never logged, stored or printed: only handed to the SDK. */
  apiKey: string | undefined
  apiUrl: string
  target: string | undefined
  /** Minutes of inactivity before Daytona stops the sandbox; 0 = never. */
  autoStopInterval: number | undefined
  defaultResources: { cpu?: number; memory?: number; disk?: number }
  ephemeral: boolean
  autoStartOnUse: boolean
  /**
   * The SDK's polling mode instead of its Socket.IO event stream. On by default: a CLI process lives for one
   * command, and the event socket keeps it alive after the command is done (against a server without Socket.IO,
   * create never finished in a probe). `false` is for long-lived embedders only.
   */
  poll: boolean
  /** How long create (and start) wait for the sandbox, in seconds. */
  createTimeoutSeconds: number
  /** A sandbox image to build from instead of Daytona's default snapshot. */
  image: string | undefined
  /** Snapshot (template) a new sandbox starts from. */
  snapshot: string | undefined
  /** Capabilities switched off (or on) by config, over the defaults. */
  capabilities: Record<string, boolean>
}

const positive = z.number().positive()

const sectionSchema = z.strictObject({
  api_key: z.string().min(1).optional(),
  api_url: z.url().optional(),
  target: z.string().min(1).optional(),
  auto_stop_interval: z.int().min(0).optional(),
  default_resources: z
    .strictObject({ cpu: positive.optional(), memory: positive.optional(), disk: positive.optional() })
    .optional(),
  ephemeral: z.boolean().optional(),
  auto_start_on_use: z.boolean().optional(),
  poll: z.boolean().optional(),
  create_timeout_seconds: z.number().min(60).optional(),
  image: z.string().min(1).optional(),
  snapshot: z.string().min(1).optional(),
  capabilities: z.record(z.string(), z.boolean()).optional(),
})

type Env = Readonly<Record<string, string | undefined>>

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

export function parseDaytonaConfig(section: JsonObject, env: Env): DaytonaBackendConfig {
  const result = sectionSchema.safeParse(section)
  if (!result.success) {
    const issue = result.error.issues[0]
    const key = issue?.path.length ? `backends.daytona.${issue.path.join('.')}` : 'backends.daytona'
    // The message names the key, never the value: api_key may be what is wrong.
    throw new NexusError('CONFIG_INVALID', `${key} is invalid: ${issue?.message ?? 'unknown problem'}.`, {
      suggestion: `Fix it with \`nexus config set ${key} <value>\`, or remove it to use the default (see docs/providers/daytona.md).`,
      details: { key },
    })
  }
  const parsed = result.data
  return {
    apiKey: parsed.api_key ?? nonEmpty(env.DAYTONA_API_KEY),
    apiUrl: (parsed.api_url ?? nonEmpty(env.DAYTONA_API_URL) ?? DEFAULT_API_URL).replace(/\/+$/, ''),
    target: parsed.target ?? nonEmpty(env.NEXUS_DAYTONA_REGION),
    autoStopInterval: parsed.auto_stop_interval,
    defaultResources: parsed.default_resources ?? {},
    ephemeral: parsed.ephemeral ?? false,
    autoStartOnUse: parsed.auto_start_on_use ?? true,
    poll: parsed.poll ?? true,
    createTimeoutSeconds: parsed.create_timeout_seconds ?? 120,
    image: parsed.image,
    snapshot: parsed.snapshot,
    capabilities: parsed.capabilities ?? {},
  }
}

/** The per-workspace choices: flags (`request.spec.options`) over config. */
export interface SandboxChoices {
  target: string | undefined
  autoStopInterval: number | undefined
  ephemeral: boolean
  resources: { cpu?: number; memory?: number; disk?: number }
  image: string | undefined
  snapshot: string | undefined
  gitUrl: string | undefined
  gitBranch: string | undefined
}

function optionString(options: JsonObject, key: string): string | undefined {
  const value = options[key]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string') throw invalidOption(key, 'a string', value)
  return value
}

function optionNumber(options: JsonObject, key: string): number | undefined {
  const value = options[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw invalidOption(key, 'a non-negative number', value)
  return value
}

function invalidOption(key: string, expected: string, value: unknown): NexusError {
  return new NexusError(
    'INVALID_ARGUMENT',
    `The ${key} option must be ${expected}, got ${JSON.stringify(value)}.`,
    {
      suggestion: `Pass it as --${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} <value>.`,
    },
  )
}

export function sandboxChoices(
  config: DaytonaBackendConfig,
  options: JsonObject,
  workspaceResources: { cpu: number; memory: number; disk?: number },
): SandboxChoices {
  const disk = optionNumber(options, 'disk') ?? workspaceResources.disk ?? config.defaultResources.disk
  const autoStop = optionNumber(options, 'autoStop')
  return {
    target: optionString(options, 'region') ?? config.target,
    autoStopInterval: autoStop === undefined ? config.autoStopInterval : Math.round(autoStop),
    ephemeral: options.ephemeral === true || config.ephemeral,
    resources: {
      cpu: workspaceResources.cpu ?? config.defaultResources.cpu,
      memory: workspaceResources.memory ?? config.defaultResources.memory,
      ...(disk !== undefined ? { disk } : {}),
    },
    image: optionString(options, 'image') ?? config.image,
    snapshot: config.snapshot,
    gitUrl: optionString(options, 'gitUrl'),
    gitBranch: optionString(options, 'gitBranch'),
  }
}
