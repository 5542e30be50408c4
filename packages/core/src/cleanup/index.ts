export { planCleanup, staleReservations } from './plan.js'
export { executeCleanup, dryRunResult } from './run.js'
export type {
  CleanupDeps,
  CleanupItem,
  CleanupKind,
  CleanupOptions,
  CleanupOutcome,
  CleanupPlan,
  CleanupResult,
} from './types.js'
