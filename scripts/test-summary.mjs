// Sums the vitest JSON reports of every package into the one plain closing line CI reads.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

let passed = 0
let failed = 0
let skipped = 0
const packages = join(import.meta.dirname, '..', 'packages')
for (const name of readdirSync(packages)) {
  const file = join(packages, name, '.vitest-results.json')
  if (!existsSync(file)) continue
  const report = JSON.parse(readFileSync(file, 'utf8'))
  passed += report.numPassedTests ?? 0
  failed += report.numFailedTests ?? 0
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
