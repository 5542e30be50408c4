export { default as mockProviderFactory } from './provider.js'
export { createMockProvider } from './mock-provider.js'
export { MOCK_DEFAULT_CAPABILITIES, resolveCapabilities } from './capabilities.js'
export { MOCK_OPERATIONS } from './operations.js'
export {
  MockStateStore,
  type MockRecord,
  type MockStatus,
  type MockEvent,
  type MockSnapshot,
} from './state.js'
