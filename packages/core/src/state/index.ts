export { StateStore, STATE_SCHEMA_VERSION, type UnreadableState } from './store.js'
export { type StateEvent } from './events.js'
export { withLock, type LockOptions } from './lock.js'
export { statePaths, workspaceLockKey } from './paths.js'
