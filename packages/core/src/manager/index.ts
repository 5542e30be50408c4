export { WorkspaceManager } from './manager.js'
export type { ManagerDeps } from './deps.js'
export type { LifecycleResult } from './lifecycle.js'
export { operationCommand, type WorkspaceInfo, type EscapeHatch } from './info.js'
export { sshAlias } from './ssh-config-sync.js'
export { chooseTransport, type ExecTransport } from './exec.js'
export type { ShellOptions } from './shell.js'
export {
  currentWorkspace,
  currentWorkspaceFile,
  type PreviousAction,
  type SwitchOptions,
  type SwitchPolicy,
  type SwitchResult,
} from './switch.js'
export type { SnapshotCreateOptions, SnapshotRestoreResult } from './snapshots.js'
export type { SnapshotSource } from './snapshot-source.js'
export type { CreateWorkspaceOptions } from './create-worktree.js'
export { MIN_FREE_BYTES, freeBytes } from './disk-space.js'
export { OBSERVE_TIMEOUT_MS, type ListedWorkspace, type ObservedStatus } from './observe.js'
