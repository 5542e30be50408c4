import { describeProviderConformance, makeTestWorkspace } from '@nexus/core/testing'
import { startTestBackend, type TestBackend } from './__tests__/helpers.js'

let backend: TestBackend | undefined
const cleanups: Array<() => Promise<void>> = []

describeProviderConformance('sprite', {
  async makeProvider() {
    backend ??= await startTestBackend()
    return backend.provider()
  },
  async makeWorkspace(name) {
    const made = await makeTestWorkspace({ backend: 'sprite', name })
    cleanups.push(made.cleanup)
    return { workspace: made.workspace, spec: made.spec }
  },
  async cleanup() {
    for (const cleanup of cleanups.splice(0)) await cleanup()
    await backend?.cleanup()
  },
})
