import { describe, expect, it } from 'vitest'
import { closestMatch, editDistance } from './closest.js'

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['workspace list', 'worksace list', 1],
  ])('%j → %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance)
    expect(editDistance(b, a)).toBe(distance)
  })
})

describe('closestMatch', () => {
  const commands = ['workspace create', 'workspace list', 'provider list', 'config get']

  it('finds a near miss', () => {
    expect(closestMatch('workspace lst', commands)).toBe('workspace list')
    expect(closestMatch('provider lis', commands)).toBe('provider list')
  })

  it('gives nothing for something unrelated', () => {
    expect(closestMatch('deploy', commands)).toBeUndefined()
  })
})
