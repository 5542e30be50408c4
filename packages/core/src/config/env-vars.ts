import { splitKeyPath, treeWithValue, type ConfigTree } from './tree.js'

/** `NEXUS_*` variables that set config values: the highest-precedence layer. Keep docs/config.md in step. */
export const CONFIG_ENV_VARS = [
  { envVar: 'NEXUS_BACKEND', keyPath: 'defaults.backend', type: 'string' },
  { envVar: 'NEXUS_RESOURCES', keyPath: 'defaults.resources', type: 'string' },
  { envVar: 'NEXUS_EXEC_TRANSPORT', keyPath: 'exec.transport', type: 'string' },
  { envVar: 'NEXUS_SWITCH_PREVIOUS', keyPath: 'switch.previous', type: 'string' },
  { envVar: 'NEXUS_DAYTONA_REGION', keyPath: 'backends.daytona.target', type: 'string' },
  { envVar: 'NEXUS_STOP_GRACE_SECONDS', keyPath: 'lifecycle.stop_grace_seconds', type: 'number' },
] as const

export interface EnvLayer {
  envVar: string
  keyPath: string
  data: ConfigTree
}

/**
 * One layer per variable that is set, not yet validated: the loader validates each on its own, so that a bad
 * value names its variable. A variable set to the empty string counts as unset, as `NEXUS_BACKEND= nexus …` is
 * the usual way to clear one.
 */
export function envLayers(env: Record<string, string | undefined>): EnvLayer[] {
  const layers: EnvLayer[] = []
  for (const { envVar, keyPath, type } of CONFIG_ENV_VARS) {
    const raw = env[envVar]?.trim()
    if (raw === undefined || raw === '') continue
    const value = type === 'number' ? parseNumber(raw) : raw
    layers.push({ envVar, keyPath, data: treeWithValue(splitKeyPath(keyPath), value) })
  }
  return layers
}

// Anything that is not plainly a decimal number stays a string, for the schema to reject by name.
function parseNumber(raw: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw
}
