export { startFakeDaytona, type FakeDaytona } from './server.js'
export { FakeDaytonaState, type FakeSandbox, type FakeSnapshot } from './state.js'
export { FAKE_REGIONS } from './sandboxes.js'
