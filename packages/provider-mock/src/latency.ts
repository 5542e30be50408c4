import { NexusError, type JsonObject } from '@nexus/core'

/** Operations whose duration `backends.mock.latency_ms` can stretch. */
const SLOW_OPERATIONS = ['create', 'start', 'stop', 'destroy'] as const
export type SlowOperation = (typeof SLOW_OPERATIONS)[number]
export type Latency = Partial<Record<SlowOperation, number>>

/**
 * `backends.mock.latency_ms: { start: 2000 }` makes the mock as slow as a real backend, so tests can see what nexus
 * does while an operation is under way (locks, waiting, interleaving).
 */
export function resolveLatency(config: JsonObject): Latency {
  const value = config.latency_ms
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid()
  const latency: Latency = {}
  for (const [operation, ms] of Object.entries(value)) {
    if (!(SLOW_OPERATIONS as readonly string[]).includes(operation)) throw invalid()
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw invalid()
    latency[operation as SlowOperation] = ms
  }
  return latency
}

function invalid(): NexusError {
  return new NexusError(
    'CONFIG_INVALID',
    '`backends.mock.latency_ms` must map create, start, stop or destroy to milliseconds.',
    { suggestion: 'Write it as, e.g., `backends: { mock: { latency_ms: { start: 2000 } } }`.' },
  )
}

export function delay(latency: Latency, operation: SlowOperation): Promise<void> {
  const ms = latency[operation] ?? 0
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()
}
