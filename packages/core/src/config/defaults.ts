import type { NexusConfig } from './schema.js'

/*
 * Plain data, not derived from the schema at run time: every command loads config, usually with no config file at
 * all, and then these are all it needs — without paying ~50 ms to import and build the zod schema.
 * defaults.test.ts keeps both equal to what the schema says.
 */

/** Top-level keys of a version 2 file, in schema order, for error messages and `nexus config set` validation. */
export const TOP_LEVEL_KEYS: readonly string[] = [
  'version',
  'defaults',
  'backends',
  'ports',
  'env',
  'env_files',
  'services',
  'ssh',
  'exec',
  'switch',
  'lifecycle',
  'ports_range',
] satisfies ReadonlyArray<keyof NexusConfig>

/** The built-in defaults layer: what the schema produces from an empty file. A new object on every call. */
export function builtInDefaults(): NexusConfig {
  return {
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
  }
}
