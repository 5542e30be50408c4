import { describe, expect, it } from 'vitest'
import { hasErrorCode } from '../errors/index.js'
import { assertTransition, canTransition, suggestName, validateWorkspaceName } from './index.js'

describe('workspace names', () => {
  it('accepts valid names', () => {
    for (const name of ['a', 'ab', 'feature-x', 'a1', 'x'.repeat(64)])
      expect(() => validateWorkspaceName(name)).not.toThrow()
  })

  it('refuses invalid names with INVALID_NAME and a valid suggestion', () => {
    for (const bad of ['Foo Bar', '../x', '-a', 'a-', 'a_b', 'x'.repeat(65)]) {
      let caught: unknown
      try {
        validateWorkspaceName(bad)
      } catch (error) {
        caught = error
      }
      expect(hasErrorCode(caught, 'INVALID_NAME')).toBe(true)
      const suggested = suggestName(bad)
      expect(() => validateWorkspaceName(suggested)).not.toThrow()
    }
    expect(suggestName('Foo Bar')).toBe('foo-bar')
  })

  it('refuses reserved names with RESERVED_NAME', () => {
    expect(() => validateWorkspaceName('current')).toThrow(expect.objectContaining({ code: 'RESERVED_NAME' }))
  })
})

describe('status transitions', () => {
  it('follows the table and refuses the rest with INVALID_TRANSITION', () => {
    expect(canTransition('pending', 'stopped')).toBe(true)
    expect(canTransition('paused', 'stopped')).toBe(false)
    expect(() => assertTransition('w', 'destroyed', 'running')).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    )
    expect(() => assertTransition('w', 'running', 'running')).not.toThrow()
  })
})
