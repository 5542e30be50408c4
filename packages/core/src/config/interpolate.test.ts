import { describe, expect, it } from 'vitest'
import { hasReference, resolveReferences, resolveString } from './interpolate.js'

describe('resolveString', () => {
  const env = { HOST: 'db.internal', EMPTY: '', TOKEN: 't0k' }

  it('resolves ${VAR} anywhere in a string, and an unset one to nothing', () => {
    expect(resolveString('postgres://${HOST}:5432/${MISSING}app', env)).toBe(
      'postgres://db.internal:5432/app',
    )
  })

  it('uses the :- fallback for unset and for empty variables, as a shell does', () => {
    expect(resolveString('${MISSING:-fallback}', env)).toBe('fallback')
    expect(resolveString('${EMPTY:-fallback}', env)).toBe('fallback')
    expect(resolveString('${HOST:-fallback}', env)).toBe('db.internal')
    expect(resolveString('${MISSING:-}', env)).toBe('')
  })

  it('resolves the whole-value env:VAR form for upper-case names only', () => {
    expect(resolveString('env:TOKEN', env)).toBe('t0k')
    expect(resolveString('env:MISSING', env)).toBe('')
    expect(resolveString('env:production', env)).toBe('env:production')
    expect(resolveString('see env:TOKEN', env)).toBe('see env:TOKEN')
  })

  it('keeps $${VAR} as a literal ${VAR}', () => {
    expect(resolveString('$${HOST} is ${HOST}', env)).toBe('${HOST} is db.internal')
    expect(hasReference('$${HOST}')).toBe(false)
    expect(hasReference('a ${HOST}')).toBe(true)
    expect(hasReference('env:TOKEN')).toBe(true)
  })
})

describe('resolveReferences', () => {
  it('walks mappings and lists, resolving values but never keys, and leaves other types alone', () => {
    const resolved = resolveReferences(
      { '${HOST}': 'x', list: ['${HOST}', 3, true, null], nested: { key: 'env:TOKEN' } },
      { HOST: 'h', TOKEN: 't' },
    )
    expect(resolved).toEqual({ '${HOST}': 'x', list: ['h', 3, true, null], nested: { key: 't' } })
  })
})
