import { describe, expect, it } from 'vitest'
import { hasErrorCode } from '@nexus/core'
import { candidateSubnets, parseCidr } from './subnets.js'

describe('workspace subnets', () => {
  it('offers every /26 of the pool once, starting at a slot derived from the workspace id', () => {
    const all = candidateSubnets('10.213.0.0/24', 'ws-1', [])
    expect(all).toHaveLength(4)
    expect(new Set(all)).toEqual(
      new Set(['10.213.0.0/26', '10.213.0.64/26', '10.213.0.128/26', '10.213.0.192/26']),
    )
    expect(candidateSubnets('10.213.0.0/24', 'ws-1', [])).toEqual(all)
  })

  it('skips subnets that overlap networks the engine already has, whatever their size', () => {
    const free = candidateSubnets('10.213.0.0/24', 'ws-1', [
      '10.213.0.64/26',
      '10.213.0.128/25',
      '172.17.0.0/16',
    ])
    expect(free).toEqual(['10.213.0.0/26'])
    expect(candidateSubnets('10.213.0.0/24', 'ws-1', ['10.0.0.0/8'])).toEqual([])
  })

  it('refuses a pool that is not an IPv4 CIDR with CONFIG_INVALID', () => {
    expect(parseCidr('10.213.0.0/33')).toBeUndefined()
    let caught: unknown
    try {
      candidateSubnets('not-a-cidr', 'x', [])
    } catch (error) {
      caught = error
    }
    expect(hasErrorCode(caught, 'CONFIG_INVALID')).toBe(true)
  })
})
