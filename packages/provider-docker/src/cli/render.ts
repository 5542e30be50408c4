import type { JsonValue } from '@nexus/core'

function scalar(value: JsonValue): string {
  if (value === null) return '-'
  if (Array.isArray(value))
    return value.length === 0 ? '(none)' : value.map((item) => scalar(item)).join(', ')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** An operation's JSON result as aligned `key  value` lines; --json prints the object itself. */
export function renderResult(result: JsonValue): string {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return scalar(result)
  const entries = Object.entries(result)
  const width = Math.max(0, ...entries.map(([key]) => key.length))
  return entries.map(([key, value]) => `${key.padEnd(width)}  ${scalar(value)}`).join('\n')
}
