import type { JsonValue } from '../workspace/index.js'

/**
 * Plain-text rendering shared by the CLI and every provider plugin's commands, so tables and operation results look
 * the same whichever package prints them.
 */

/** A plain text table: a header row, columns padded to their widest cell, two spaces apart. */
export function renderTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(headers), ...rows.map(line)].join('\n')
}

function scalar(value: JsonValue): string {
  if (value === null) return '-'
  if (Array.isArray(value))
    return value.length === 0 ? '(none)' : value.map((item) => scalar(item)).join(', ')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** An operation's JSON result as aligned `key  value` lines; `--json` prints the object itself. */
export function renderOperationResult(result: JsonValue): string {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return scalar(result)
  const entries = Object.entries(result)
  const width = Math.max(0, ...entries.map(([key]) => key.length))
  return entries.map(([key, value]) => `${key.padEnd(width)}  ${scalar(value)}`).join('\n')
}
