export type {
  ConfigScope,
  WritableConfigScope,
  ConfigLocations,
  ConfigOrigin,
  LoadedConfig,
} from './types.js'
export { CONFIG_SCOPES, WRITABLE_CONFIG_SCOPES } from './types.js'
export {
  nexusConfigSchema,
  builtInDefaults as builtInConfigDefaults,
  TOP_LEVEL_KEYS as CONFIG_TOP_LEVEL_KEYS,
  type NexusConfig,
} from './schema.js'
export { resolveLocations, DEFAULT_SYSTEM_CONFIG_FILE } from './locations.js'
export { loadConfig, getConfigValue, listConfig, type LoadConfigOptions } from './load.js'
export { setConfigValue, unsetConfigValue } from './edit.js'
export { CONFIG_ENV_VARS } from './env-vars.js'
