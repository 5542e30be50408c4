import { describe, expect, it } from 'vitest'
import { requireCapability } from '../../provider/index.js'
import { expectNexusError } from '../expectations.js'
import type { ConformanceRun } from '../run.js'
import { statusOf } from './lifecycle.js'

/** Freezing a running workspace and thawing it, or refusing to when the backend cannot. */
export function describePause(run: ConformanceRun): void {
  describe('pause and resume', () => {
    it(
      'pauses and resumes a running workspace when it reports pause, and refuses when it does not',
      async () => {
        const { provider } = run
        let workspace = await run.createRunning('pause')
        if (provider.capabilities().pause !== true) {
          await expectNexusError(
            () => requireCapability(provider, 'pause', 'pause workspaces'),
            'CAPABILITY_NOT_SUPPORTED',
            'requireCapability(pause)',
          )
          await expectNexusError(() => provider.pause(workspace), 'CAPABILITY_NOT_SUPPORTED', 'pause()')
          await expectNexusError(() => provider.resume(workspace), 'CAPABILITY_NOT_SUPPORTED', 'resume()')
          expect(await statusOf(provider, workspace), 'a refused pause leaves it running').toBe('running')
          return
        }
        await provider.pause(workspace)
        workspace = { ...workspace, status: 'paused' }
        expect(await statusOf(provider, workspace)).toBe('paused')
        await provider.resume(workspace)
        workspace = { ...workspace, status: 'running' }
        expect(await statusOf(provider, workspace)).toBe('running')
        await provider.stop(workspace)
        expect(await statusOf(provider, workspace), 'a resumed workspace stops normally').toBe('stopped')
      },
      run.timeoutMs,
    )
  })
}
