import type { ConfigOrigin } from '@nexus/core'
import { renderTable } from './table.js'

export interface ConfigEntry {
  key: string
  value: unknown
  origin: ConfigOrigin
}

/** `user /home/me/.nexus/config.yaml`, `env NEXUS_BACKEND`, `default`. */
export function describeOrigin(origin: ConfigOrigin): string {
  if (origin.envVar) return `env ${origin.envVar}`
  if (origin.file) return `${origin.scope} ${origin.file}`
  return origin.scope
}

/** A value as it would be typed: scalars bare, lists and mappings as JSON (which YAML also reads). */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

export function renderConfigList(entries: readonly ConfigEntry[], showOrigin: boolean): string {
  const rows = entries.map((entry) => [
    entry.key,
    formatValue(entry.value),
    ...(showOrigin ? [describeOrigin(entry.origin)] : []),
  ])
  return renderTable(['KEY', 'VALUE', ...(showOrigin ? ['ORIGIN'] : [])], rows)
}
