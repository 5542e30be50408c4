import { NexusError, type LogsRequest } from '@nexus/core'
import type { MockEvent } from './state.js'

const DURATION = /^(\d+)(s|m|h|d)$/
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/**
 * The mock's "logs" are its lifecycle events, one line each. There is no process writing more, so `follow`
 * returns once the recorded lines are written.
 */
export function writeEvents(events: MockEvent[], request: LogsRequest, now = Date.now()): void {
  const since = request.since === undefined ? undefined : sinceTime(request.since, now)
  let lines = events.filter((event) => since === undefined || Date.parse(event.at) >= since)
  if (request.tail !== undefined) lines = request.tail > 0 ? lines.slice(-request.tail) : []
  for (const event of lines) request.stdout.write(`${event.at} ${event.event}\n`)
}

function sinceTime(since: string, now: number): number {
  const duration = DURATION.exec(since)
  if (duration) return now - Number(duration[1]) * (UNIT_MS[duration[2] as string] as number)
  const time = Date.parse(since)
  if (Number.isNaN(time)) {
    throw new NexusError('INVALID_ARGUMENT', `"${since}" is neither a time nor a duration.`, {
      suggestion: 'Pass an ISO time (2025-01-31T12:00:00Z) or a duration such as 30s, 10m, 2h or 1d.',
    })
  }
  return time
}
