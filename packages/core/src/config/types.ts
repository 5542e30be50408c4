import type { NexusConfig } from './schema.js'

/** Where a config value came from, lowest precedence first. */
export type ConfigScope = 'default' | 'system' | 'user' | 'project' | 'flags' | 'env'

/** The scopes that are files, and so can be written by `nexus config set|unset`. */
export type WritableConfigScope = 'system' | 'user' | 'project'

export const CONFIG_SCOPES: readonly ConfigScope[] = ['default', 'system', 'user', 'project', 'flags', 'env']
export const WRITABLE_CONFIG_SCOPES: readonly WritableConfigScope[] = ['system', 'user', 'project']

export interface ConfigLocations {
  nexusHome: string
  systemFile: string
  userFile: string
  /** the project file found searching upward from cwd, or null */
  projectFile: string | null
  /** where a project file would be written: <repo-or-cwd>/.nexus/config.yaml */
  projectFileTarget: string
}

export interface ConfigOrigin {
  scope: ConfigScope
  file?: string
  envVar?: string
}

export interface LoadedConfig {
  config: NexusConfig
  locations: ConfigLocations
  /** origin of every leaf key path, e.g. 'defaults.backend' */
  origins: Map<string, ConfigOrigin>
  /** leaf key paths whose value was resolved from an environment reference: possibly secrets, never printed */
  referenced?: ReadonlySet<string>
}
