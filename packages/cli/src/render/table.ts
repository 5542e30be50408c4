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
