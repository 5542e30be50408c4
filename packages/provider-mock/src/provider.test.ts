import { describeProviderConformance } from '@nexus/core/testing'
import { MockHome } from './__tests__/mock-home.js'

let home: MockHome | undefined
const homeOf = async (): Promise<MockHome> => (home ??= await MockHome.create())

describeProviderConformance('mock', {
  async makeProvider(overrides) {
    const home = await homeOf()
    return overrides?.capabilities ? home.provider({ capabilities: overrides.capabilities }) : home.provider()
  },
  async makeWorkspace(name) {
    const { workspace, spec } = await (await homeOf()).workspace(name)
    return { workspace, spec }
  },
  async cleanup() {
    await home?.cleanup()
  },
})
