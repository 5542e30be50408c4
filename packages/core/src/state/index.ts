export { StateStore, STATE_SCHEMA_VERSION, type UnreadableState } from './store.js'
export { type StateEvent } from './events.js'
export { withLock, type LockOptions } from './lock.js'
export { statePaths, workspaceLockKey } from './paths.js'
export {
  registerSession,
  liveSessions,
  removeSessions,
  isProcessAlive,
  type SessionKind,
  type SessionRecord,
  type SessionHandle,
} from './sessions.js'
export { diskFullError } from './disk-full.js'
