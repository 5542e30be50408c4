import { describeProviderConformance, makeTestWorkspace } from '@nexus/core/testing'
import { RUN_ID, makeTestHome, removeRunResources, type TestHome } from './__tests__/helpers.js'

let home: TestHome | undefined
const cleanups: Array<() => Promise<void>> = []

describeProviderConformance('docker', {
  async makeProvider() {
    home ??= await makeTestHome()
    return home.provider({ globalConfig: { lifecycle: { stop_grace_seconds: 1 } } })
  },
  async makeWorkspace(name) {
    const made = await makeTestWorkspace({ backend: 'docker', name, withSshKey: true })
    cleanups.push(made.cleanup)
    return { workspace: { ...made.workspace, labels: { 'test-run': RUN_ID } }, spec: made.spec }
  },
  async cleanup() {
    await removeRunResources()
    for (const cleanup of cleanups.splice(0)) await cleanup()
    await home?.cleanup()
  },
})
