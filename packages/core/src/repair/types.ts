import type { ManagerDeps } from '../manager/index.js'

/**
 * One thing repair found and what became of it. `planned` is a dry run's answer; `kept` means repair left
 * something on purpose (user files) and the user has to decide; `failed` means it tried and could not.
 */
export type RepairOutcome = 'fixed' | 'planned' | 'kept' | 'failed'

export interface RepairAction {
  /** The workspace name, or the file or lock the finding is about. */
  subject: string
  /** What was wrong, one sentence. */
  problem: string
  /** What repair did, or would do in a dry run. */
  action: string
  outcome: RepairOutcome
  /** For `kept` and `failed`: the error code and what to run next. */
  code?: string
  next?: string
}

export interface RepairReport {
  dryRun: boolean
  /** True when nothing is left that repair could not fix. */
  ok: boolean
  /** The workspaces looked at, by name. */
  checked: string[]
  actions: RepairAction[]
}

export interface RepairOptions {
  /** One workspace by name; without it, every workspace (`--all`). */
  name?: string
  dryRun?: boolean
  /** How long to watch a fresh-looking lock before deciding its holder is dead; proper-lockfile's stale time. */
  lockWaitMs?: number
}

/** What every repair step works with: the manager's dependencies and the list it reports into. */
export interface RepairContext {
  deps: ManagerDeps
  dryRun: boolean
  actions: RepairAction[]
}
