// Small timing helpers for the benchmark: wall-clock runs of whole commands, medians and p95.
import { spawnSync } from 'node:child_process'

export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)
  return sorted[Math.max(0, index)]
}

export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  return { runs: sorted.length, median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), min: sorted[0] }
}

/** Runs a command and returns its wall time in seconds; throws when it fails. */
export function timeCommand(argv, options = {}) {
  const started = process.hrtime.bigint()
  const result = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', ...options })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(
      `${argv.join(' ')} exited ${result.status}: ${(result.stderr || result.stdout || '').slice(0, 500)}`,
    )
  }
  return seconds
}

/** Measures `fn` `runs` times after one warm-up; `setup`/`teardown` run around each sample, untimed. */
export async function measure({ runs, fn, setup, teardown, warmup = 1 }) {
  const samples = []
  for (let i = 0; i < runs + warmup; i++) {
    const context = setup ? await setup(i) : undefined
    const seconds = await fn(context, i)
    if (teardown) await teardown(context, i)
    if (i >= warmup) samples.push(seconds)
  }
  return summarize(samples)
}

export function run(argv, options = {}) {
  const result = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', ...options })
  if (result.status !== 0)
    throw new Error(`${argv.join(' ')} exited ${result.status}: ${(result.stderr || '').slice(0, 500)}`)
  return result.stdout
}

export function formatSeconds(value) {
  return Number.isFinite(value) ? `${value.toFixed(3)} s` : '—'
}
