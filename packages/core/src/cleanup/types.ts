import type { LoadedConfig } from '../config/index.js'
import type { ProviderRegistry } from '../provider/index.js'
import type { StateStore } from '../state/index.js'

export type CleanupKind = 'resource' | 'lock' | 'reservation'

/** One leftover: something nexus made whose workspace is gone, or a lock whose holder died. */
export interface CleanupItem {
  kind: CleanupKind
  /** The backend holding it, for resources and reservations. */
  backend: string | null
  /** `container`, `network`, `volume`, `image`, `lock`, `ports`, … */
  what: string
  id: string
  name: string
  /** The workspace it was made for, when known. */
  workspaceId: string | null
  /** Why it is a leftover. */
  reason: string
}

export interface CleanupPlan {
  items: CleanupItem[]
  /** Backends that could not be asked (down, not configured), each with why. */
  skipped: string[]
}

export type CleanupOutcome = 'planned' | 'removed' | 'kept' | 'failed'

export interface CleanupResult {
  dryRun: boolean
  items: Array<CleanupItem & { outcome: CleanupOutcome; note?: string }>
  skipped: string[]
}

export interface CleanupOptions {
  /** Only leftovers made for this repository (and those a backend keeps per NEXUS_HOME). */
  repoRoot?: string
}

/** What cleanup needs of nexus: the state, the backends and the config (a `Nexus` has all three). */
export interface CleanupDeps {
  state: StateStore
  registry: ProviderRegistry
  loaded: LoadedConfig
}
