import { describeProviderConformance, makeTestWorkspace } from '@nexus/core/testing'
import { openWorld, type DaytonaTestWorld } from './__tests__/harness.js'

let world: DaytonaTestWorld | undefined
const cleanups: Array<() => Promise<void>> = []

describeProviderConformance('daytona', {
  async makeProvider(overrides) {
    world ??= await openWorld()
    return world.provider(overrides?.capabilities ? { capabilities: overrides.capabilities } : {})
  },
  async makeWorkspace(name) {
    const made = await makeTestWorkspace({ backend: 'daytona', name, withSshKey: true })
    cleanups.push(made.cleanup)
    return { workspace: made.workspace, spec: made.spec }
  },
  async cleanup() {
    for (const cleanup of cleanups.splice(0)) await cleanup()
    await world?.close()
  },
})
