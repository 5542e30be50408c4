/*
 * Nothing exported here may import zod, yaml or cosmiconfig at module level: every command imports this barrel.
 * lazy-loading.test.ts checks it.
 */
export type {
  ConfigScope,
  WritableConfigScope,
  ConfigLocations,
  ConfigOrigin,
  LoadedConfig,
} from './types.js'
export { CONFIG_SCOPES, WRITABLE_CONFIG_SCOPES } from './types.js'
export type { NexusConfig } from './schema.js'
export {
  builtInDefaults as builtInConfigDefaults,
  TOP_LEVEL_KEYS as CONFIG_TOP_LEVEL_KEYS,
} from './defaults.js'
export { resolveLocations, DEFAULT_SYSTEM_CONFIG_FILE } from './locations.js'
export { loadConfig, getConfigValue, listConfig, type LoadConfigOptions } from './load.js'
export { setConfigValue, unsetConfigValue } from './edit-api.js'
export { CONFIG_ENV_VARS } from './env-vars.js'
