/**
 * @nexus/core — the nexus domain. Everything a CLI command or a provider plugin needs is exported here; modules not
 * re-exported are internal. The conformance suite for providers is at `@nexus/core/testing`.
 */
export * from './errors/index.js'
export * from './workspace/index.js'
export * from './provider/index.js'
export * from './config/index.js'
export * from './state/index.js'
export * from './ports/index.js'
export * from './worktree/index.js'
export * from './snapshots/index.js'
export * from './ssh/index.js'
export * from './manager/index.js'
export * from './app/index.js'
export { writeFileAtomic } from './util/atomic-file.js'
export {
  systemClock,
  withRetry,
  pollUntil,
  DEFAULT_RETRY,
  type Clock,
  type RetryPolicy,
} from './util/retry.js'
export { cloneWithRetry, type CloneRequest, type CommandRunner } from './worktree/clone.js'
export * from './doctor/index.js'
export * from './repair/index.js'
export * from './cleanup/index.js'
