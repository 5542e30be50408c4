// Sums the vitest JSON reports of every package into the one plain closing line CI reads. Before it, the tests
// filed under `describe('edge cases: <group>')` are listed by name, so the report shows each edge case of the
// reliability issue and whether it passed.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

// The group is what follows `edge cases: `, up to an optional ` — <detail>`.
const EDGE_GROUP = /^edge cases: (.+?)(?: — .*)?$/
const MARK = { passed: '✔', failed: '✖', skipped: '○', pending: '○', todo: '○' }

let passed = 0
let failed = 0
let skipped = 0
/** group → list of "mark title" lines */
const edgeCases = new Map()
/** "package › file › full name: first lines of the failure", printed last so a truncated CI log still shows them */
const failures = []
const packages = join(import.meta.dirname, '..', 'packages')
for (const name of readdirSync(packages).sort()) {
  const file = join(packages, name, '.vitest-results.json')
  if (!existsSync(file)) continue
  const report = JSON.parse(readFileSync(file, 'utf8'))
  passed += report.numPassedTests ?? 0
  failed += report.numFailedTests ?? 0
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  for (const suite of report.testResults ?? []) {
    for (const test of suite.assertionResults ?? []) {
      if (test.status === 'failed') failures.push(describeFailure(name, suite.name, test))
      const group = (test.ancestorTitles ?? []).map((title) => EDGE_GROUP.exec(title)?.[1]).find(Boolean)
      if (!group) continue
      const lines = edgeCases.get(group) ?? []
      lines.push(`  ${MARK[test.status] ?? '?'} ${test.title}`)
      edgeCases.set(group, lines)
    }
  }
}
if (edgeCases.size > 0) {
  console.log('Edge cases by name:')
  for (const [group, lines] of [...edgeCases].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`${group}:`)
    for (const line of lines) console.log(line)
  }
  console.log('')
}
if (failures.length > 0) {
  console.log('Failed:')
  for (const failure of failures) console.log(failure)
  console.log('')
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)

function describeFailure(packageName, file, test) {
  const where = file.slice(file.lastIndexOf(`packages/${packageName}/`))
  const message = (test.failureMessages ?? []).join('\n').split('\n').slice(0, 6).join('\n    ')
  return `  ✖ ${where} › ${test.fullName}\n    ${message}`
}
