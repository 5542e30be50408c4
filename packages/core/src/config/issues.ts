import type { z } from 'zod'
import { TOP_LEVEL_KEYS } from './defaults.js'

/** One schema problem, as a user reads it: where, and what nexus expected there. Never the value itself. */
export interface ConfigProblem {
  keyPath: string
  expected: string
}

type Issue = z.core.$ZodIssue

// Keys that were top-level in version 1 files; seeing one in a version 2 file is almost always a missed migration.
const V1_TOP_LEVEL_KEYS: Record<string, string> = {
  backend: 'defaults.backend',
  resources: 'defaults.resources',
}

export function keyPathOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.')
}

/**
 * Turns zod issues into problems. Unknown keys come first: a typo in a key name is the likeliest mistake and
 * usually explains the other issues too. Messages deliberately leave out the offending value, which may be a
 * secret resolved from the environment.
 */
export function problemsFromIssues(issues: readonly Issue[]): ConfigProblem[] {
  const problems = issues.flatMap(problemsFromIssue)
  return [
    ...problems.filter((problem) => problem.expected.startsWith('unknown key')),
    ...problems.filter((problem) => !problem.expected.startsWith('unknown key')),
  ]
}

function problemsFromIssue(issue: Issue): ConfigProblem[] {
  const keyPath = keyPathOf(issue.path)
  // Messages written in the schema (`{ error: 'expected …' }`) say it better than a generic translation can.
  const written = issue.message.startsWith('expected ') ? issue.message : undefined
  // `input` is only present when parsing with `reportInput: true`, which every caller here does.
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ keyPath, expected: `is required (${written ?? `expected ${typeName(issue.expected)}`})` }]
  }
  if (written !== undefined && issue.code !== 'unrecognized_keys') return [{ keyPath, expected: written }]
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKeyProblem(issue.path, key))
    case 'invalid_type':
      return [{ keyPath, expected: `expected ${typeName(issue.expected)}` }]
    case 'invalid_value':
      return [{ keyPath, expected: `expected ${describeValues(issue.values)}` }]
    case 'too_small':
      return [
        { keyPath, expected: `expected ${boundText(issue.origin, 'min', issue.minimum, issue.inclusive)}` },
      ]
    case 'too_big':
      return [
        { keyPath, expected: `expected ${boundText(issue.origin, 'max', issue.maximum, issue.inclusive)}` },
      ]
    case 'invalid_key':
      return [
        { keyPath, expected: `has an invalid key: ${issue.issues[0]?.message ?? 'expected a valid name'}` },
      ]
    default:
      return [{ keyPath, expected: issue.message }]
  }
}

function unknownKeyProblem(parentPath: readonly PropertyKey[], key: string): ConfigProblem {
  const keyPath = keyPathOf([...parentPath, key])
  if (parentPath.length > 0) return { keyPath, expected: 'unknown key' }
  const v1Hint = V1_TOP_LEVEL_KEYS[key]
  const hint = v1Hint ? ` (a version 1 key: move it to ${v1Hint}, or declare version: "1")` : ''
  return { keyPath, expected: `unknown key${hint}; valid top-level keys are ${TOP_LEVEL_KEYS.join(', ')}` }
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
}

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected
}

function describeValues(values: readonly unknown[]): string {
  const names = values.map(String)
  return names.length === 1 ? String(names[0]) : `one of ${names.join(', ')}`
}

function boundText(
  origin: string,
  side: 'min' | 'max',
  bound: number | bigint,
  inclusive: boolean | undefined,
): string {
  if (origin === 'string' && side === 'min' && Number(bound) === 1) return 'a non-empty string'
  const operator = side === 'min' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<'
  const subject =
    origin === 'array' ? 'a list with length' : origin === 'string' ? 'a string with length' : 'a number'
  return `${subject} ${operator} ${bound}`
}
