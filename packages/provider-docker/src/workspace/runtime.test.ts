import { describe, expect, it } from 'vitest'
import { expectNexusError } from '@nexus/core/testing'
import type { ContainerStatsSample } from '../engine/engine.js'
import { sinceToUnixSeconds, summarizeStats } from './runtime.js'

describe('logs --since', () => {
  it('takes durations back from now and ISO times', async () => {
    const now = Date.parse('2026-01-31T12:00:00Z')
    expect(sinceToUnixSeconds('10m', now)).toBe(now / 1000 - 600)
    expect(sinceToUnixSeconds('2h', now)).toBe(now / 1000 - 7200)
    expect(sinceToUnixSeconds('2026-01-31T11:00:00Z', now)).toBe(now / 1000 - 3600)
    await expectNexusError(
      () => sinceToUnixSeconds('yesterday-ish', now),
      'INVALID_ARGUMENT',
      'an unreadable since',
    )
  })
})

describe('stats', () => {
  it('computes cpu% like `docker stats` and leaves the page cache out of memory', () => {
    const sample = {
      cpu_stats: {
        cpu_usage: { total_usage: 3_000_000_000 },
        system_cpu_usage: 20_000_000_000,
        online_cpus: 2,
      },
      precpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 10_000_000_000 },
      memory_stats: { usage: 300 * 1024 ** 2, limit: 2 * 1024 ** 3, stats: { cache: 100 * 1024 ** 2 } },
    } as unknown as ContainerStatsSample
    expect(summarizeStats(sample)).toEqual({
      cpuPercent: 20,
      memoryBytes: 200 * 1024 ** 2,
      memoryLimitBytes: 2 * 1024 ** 3,
    })
  })
})
