// The table layout is core's, shared with the provider plugins' commands.
export { renderTable } from '@nexus/core'

/** `key:  value` lines with the values aligned (multi-line values too), skipping entries without a value. */
export function renderFields(fields: ReadonlyArray<readonly [string, string | undefined]>): string {
  const shown = fields.filter(
    (field): field is readonly [string, string] => field[1] !== undefined && field[1] !== '',
  )
  const width = Math.max(0, ...shown.map(([key]) => key.length)) + 2
  return shown
    .map(([key, value]) => `${`${key}:`.padEnd(width)}${value.split('\n').join(`\n${' '.repeat(width)}`)}`)
    .join('\n')
}
