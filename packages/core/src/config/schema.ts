import { z } from 'zod'
import type { ResourceClass } from '../workspace/index.js'

/**
 * The nexus config file, version 2. Keys are snake_case, exactly as written in YAML, so that a key path printed by
 * `nexus config list` is the key path a user types into `nexus config set` and into the file.
 *
 * Every section is strict so that a typo is an error naming the key, not a silently ignored setting. The one
 * exception is `backends.<name>`: each provider owns and validates its own section.
 */

const RESOURCE_CLASS_NAMES = [
  'small',
  'medium',
  'large',
  'xlarge',
] as const satisfies readonly ResourceClass[]

const CONTAINER_PORT_RANGE = { error: 'expected a port number from 1 to 65535' }
const HOST_PORT_RANGE = { error: 'expected a port number from 1024 to 65535' }
const containerPort = z
  .int(CONTAINER_PORT_RANGE)
  .min(1, CONTAINER_PORT_RANGE)
  .max(65535, CONTAINER_PORT_RANGE)
const hostPort = z.int(HOST_PORT_RANGE).min(1024, HOST_PORT_RANGE).max(65535, HOST_PORT_RANGE)

const stringOrList = z.union([z.string(), z.array(z.string())], {
  error: 'expected a string or a list of strings',
})

// Names that end up in Docker container names, network aliases and port labels: a `../` or a space must not get
// that far. Port names follow the `--port` rule; service names the Docker provider's, with a length cap.
const portName = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, {
  error: 'expected a port name: up to 31 lower-case letters, digits and dashes, starting with a letter',
})
const serviceName = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, {
  error: 'expected a service name: up to 63 lower-case letters, digits, dots, dashes and underscores',
})

const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: 'expected an environment variable name (letters, digits and _, not starting with a digit)',
})

// YAML turns `PORT: 3000` and `DEBUG: true` into a number and a boolean; an env value is text either way.
const envValue = z
  .union([z.string(), z.number(), z.boolean()], { error: 'expected a string' })
  .transform(String)

const envMap = z.record(envVarName, envValue)

const servicePort = z.union([containerPort, z.string().regex(/^\d{1,5}:\d{1,5}$/)], {
  error: 'expected a port number or a "host:container" string',
})

const serviceSchema = z.strictObject({
  image: z.string().min(1),
  ports: z.array(servicePort).optional(),
  env: envMap.optional(),
  volumes: z.array(z.string()).optional(),
  depends_on: z.array(z.string()).optional(),
  healthcheck: z
    .strictObject({
      test: stringOrList,
      interval_seconds: z.number().positive().optional(),
      retries: z.int().min(0).optional(),
    })
    .optional(),
  command: stringOrList.optional(),
})

export const nexusConfigSchema = z.strictObject({
  version: z.literal('2').default('2'),
  defaults: z
    .strictObject({
      backend: z.string().min(1).default('docker'),
      resources: z.enum(RESOURCE_CLASS_NAMES).default('small'),
    })
    .prefault({}),
  backends: z.record(z.string(), z.record(z.string(), z.json())).default(() => ({})),
  ports: z
    .record(portName, z.strictObject({ container: containerPort, host: hostPort.optional() }))
    .default(() => ({})),
  env: envMap.default(() => ({})),
  env_files: z.array(z.string().min(1)).default(() => []),
  services: z.record(serviceName, serviceSchema).default(() => ({})),
  ssh: z
    .strictObject({
      injection: z.strictObject({ include_agent_keys: z.boolean().default(false) }).prefault({}),
      forward_agent: z.boolean().default(true),
    })
    .prefault({}),
  exec: z.strictObject({ transport: z.enum(['auto', 'ssh', 'native']).default('auto') }).prefault({}),
  switch: z.strictObject({ previous: z.enum(['pause', 'stop', 'keep']).default('pause') }).prefault({}),
  lifecycle: z.strictObject({ stop_grace_seconds: z.number().min(0).default(10) }).prefault({}),
  ports_range: z
    .strictObject({ start: hostPort, end: hostPort })
    .refine((range) => range.start <= range.end, { error: 'expected start to be at most end' })
    .optional(),
})

/** The merged configuration, fully defaulted, with snake_case keys as in the YAML files. */
export type NexusConfig = z.infer<typeof nexusConfigSchema>
