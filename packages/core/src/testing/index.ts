export { describeProviderConformance } from './conformance.js'
export type { ConformanceHarness } from './harness.js'
export {
  makeTestWorkspace,
  CONFORMANCE_MARKER,
  type TestWorkspace,
  type TestWorkspaceOptions,
} from './test-workspace.js'
export { createTestProviderContext, type TestProviderContextOptions } from './context.js'
export { captureStream, type CapturedStream } from './streams.js'
export { expectNexusError, expectSomeNexusError, failureOf } from './expectations.js'
