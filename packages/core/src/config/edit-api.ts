import { onFirstUse } from './lazy.js'
import type { ConfigLocations, WritableConfigScope } from './types.js'

// edit.ts imports yaml and zod; only `nexus config set|unset` need it, so it is loaded on their first call.
const editing = onFirstUse(() => import('./edit.js'))

/**
 * Sets one key in one config file. The value is parsed as YAML (`true`, `3`, `"3"`, `[a, b]`); text that is not
 * valid YAML is taken as a plain string. The whole resulting file is validated before anything is written, so an
 * invalid value leaves the file untouched. Comments and layout survive wherever the yaml Document API keeps them.
 */
export async function setConfigValue(
  locations: ConfigLocations,
  scope: WritableConfigScope,
  keyPath: string,
  rawValue: string,
): Promise<{ file: string }> {
  return (await editing()).setConfigValue(locations, scope, keyPath, rawValue)
}

/** Removes one key from one config file, and any mapping the removal leaves empty. A missing key is not an error. */
export async function unsetConfigValue(
  locations: ConfigLocations,
  scope: WritableConfigScope,
  keyPath: string,
): Promise<{ file: string; removed: boolean }> {
  return (await editing()).unsetConfigValue(locations, scope, keyPath)
}
