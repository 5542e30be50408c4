// Retry and polling live in core, shared by every backend; re-exported so the engine's imports stay local.
export { systemClock, withRetry, pollUntil, DEFAULT_RETRY, type Clock, type RetryPolicy } from '@nexus/core'
