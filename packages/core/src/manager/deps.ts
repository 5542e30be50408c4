import type { Actor } from '../app/types.js'
import type { LoadedConfig } from '../config/index.js'
import type { ProviderRegistry, Reporter } from '../provider/index.js'
import type { StateStore } from '../state/index.js'

/** Everything the workspace operations need, injected so tests can build them on a temp NEXUS_HOME. */
export interface ManagerDeps {
  state: StateStore
  registry: ProviderRegistry
  loaded: LoadedConfig
  reporter: Reporter
  actor: Actor
  cwd: string
  env: Record<string, string | undefined>
  /** Injected for tests; defaults to the wall clock. */
  now?: () => Date
}

export function timestamp(deps: ManagerDeps): string {
  return (deps.now?.() ?? new Date()).toISOString()
}

/** The lock every port allocation takes, so two workspaces never pick the same block. */
export const PORTS_LOCK = 'ports'
