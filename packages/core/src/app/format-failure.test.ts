import { describe, expect, it } from 'vitest'
import { NexusError } from '../errors/index.js'
import { formatFailure } from './command.js'

describe('formatFailure', () => {
  const quoted = new NexusError(
    'INVALID_NAME',
    '"two\nlines\u001b[31m\u202eexe" is not a valid workspace name.',
    {
      suggestion: 'Try `two-lines`.',
    },
  )

  it('shows control and bidi characters a user typed as escapes, keeping the error on one line', () => {
    const { text, exitCode } = formatFailure(quoted, { json: false, debug: false })
    expect(exitCode).toBe(2)
    expect(text).toBe(
      'Error [INVALID_NAME]: "two\\u{a}lines\\u{1b}[31m\\u{202e}exe" is not a valid workspace name.\n→ Try `two-lines`.\n',
    )
  })

  it('leaves --json to JSON escaping, so the document holds the exact message', () => {
    const { text } = formatFailure(quoted, { json: true, debug: false })
    expect((JSON.parse(text) as { error: { message: string } }).error.message).toBe(quoted.message)
  })
})
