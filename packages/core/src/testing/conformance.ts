import { afterAll, beforeAll, describe } from 'vitest'
import type { ConformanceHarness } from './harness.js'
import { ConformanceRun } from './run.js'
import { describeExec } from './suites/exec.js'
import { describeCapabilityHonesty } from './suites/honesty.js'
import { describeLifecycle } from './suites/lifecycle.js'
import { describePause } from './suites/pause.js'
import { describeRunningWorkspace } from './suites/running.js'
import { describeShape } from './suites/shape.js'

/**
 * The provider contract as tests: every provider package, ours or a third party's, calls this from one of its own
 * test files with a harness that makes its provider and real workspaces. `name` is the backend name the provider
 * must report.
 */
export function describeProviderConformance(name: string, harness: ConformanceHarness): void {
  describe(`provider conformance: ${name}`, () => {
    const run = new ConformanceRun(name, harness)
    beforeAll(() => run.open(), run.timeoutMs)
    afterAll(() => run.close(), run.timeoutMs)

    describeShape(run)
    describeLifecycle(run)
    describeExec(run)
    describeRunningWorkspace(run)
    describePause(run)
    describeCapabilityHonesty(run)
  })
}
