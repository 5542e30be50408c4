import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { assertBuilt, dockerAvailable } from './harness.js'

// scripts/chaos.mjs as a test: a reduced run (3 kills of each) always, the full one (20 of each) with NEXUS_CHAOS=1.
const run = promisify(execFile)
const SCRIPT = fileURLToPath(new URL('../../../../../scripts/chaos.mjs', import.meta.url))
const full = process.env.NEXUS_CHAOS === '1'
const engineUp = await dockerAvailable()

interface ChaosSummary {
  ok: boolean
  kills: { create: number; destroy: number }
  orphaned: Record<string, string[]>
  canaries: { written: number; lost: string[] }
}

async function chaos(backend: string, runs: number): Promise<ChaosSummary> {
  assertBuilt()
  const result = await run(
    process.execPath,
    [SCRIPT, '--runs', String(runs), '--backend', backend, '--json'],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? 'null' }))
  return JSON.parse(result.stdout) as ChaosSummary
}

function expectNoOrphans(summary: ChaosSummary): void {
  for (const [kind, left] of Object.entries(summary.orphaned)) expect(left, kind).toEqual([])
  expect(summary.canaries.lost).toEqual([])
  expect(summary.ok).toBe(true)
}

describe('edge cases: Chaos — kill -9: creates and destroys killed at random points, then repair --all', () => {
  it('on mock, 3 kills each → zero orphans, no canary lost', async () => {
    expectNoOrphans(await chaos('mock', 3))
  }, 120_000)

  it.runIf(engineUp)(
    'on docker, 3 kills each → zero orphans, no canary lost',
    async () => {
      expectNoOrphans(await chaos('docker', 3))
    },
    180_000,
  )

  it.runIf(engineUp && full)(
    'on docker, 20 kills each → zero orphans, no canary lost',
    async () => {
      const summary = await chaos('docker', 20)
      expect(summary.kills.create + summary.kills.destroy).toBeGreaterThan(0)
      expectNoOrphans(summary)
    },
    900_000,
  )
})
