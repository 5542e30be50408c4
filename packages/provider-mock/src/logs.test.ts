import { hasErrorCode } from '@nexus/core'
import { captureStream } from '@nexus/core/testing'
import { describe, expect, it } from 'vitest'
import { writeEvents } from './logs.js'

const NOW = Date.parse('2025-06-01T12:00:00Z')
const EVENTS = [
  { at: '2025-06-01T10:00:00.000Z', event: 'created' },
  { at: '2025-06-01T11:30:00.000Z', event: 'started' },
  { at: '2025-06-01T11:55:00.000Z', event: 'stopped' },
]

function written(request: { since?: string; tail?: number }): string {
  const out = captureStream()
  writeEvents(EVENTS, { stdout: out.stream, stderr: out.stream, ...request }, NOW)
  return out.text()
}

describe('mock logs', () => {
  it('writes one line per event: time, then what happened', () => {
    expect(written({})).toBe(EVENTS.map((event) => `${event.at} ${event.event}\n`).join(''))
  })

  it('takes since as a duration or an ISO time', () => {
    expect(written({ since: '10m' })).toBe('2025-06-01T11:55:00.000Z stopped\n')
    expect(written({ since: '2025-06-01T11:00:00Z' }).split('\n')).toHaveLength(3)
  })

  it('tail 0 writes nothing', () => {
    expect(written({ tail: 0 })).toBe('')
  })

  it('rejects a since that is neither', () => {
    let error: unknown
    try {
      written({ since: 'yesterday' })
    } catch (caught) {
      error = caught
    }
    expect(hasErrorCode(error, 'INVALID_ARGUMENT')).toBe(true)
  })
})
