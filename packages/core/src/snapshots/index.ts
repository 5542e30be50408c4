export { validateSnapshotName, parseSnapshotSource, type SnapshotSourceSpec } from './names.js'
export { SnapshotStore, type SnapshotRecord } from './store.js'
export {
  captureWorktree,
  restoreWorktree,
  deleteWorktreeSnapshot,
  snapshotRef,
  type WorktreeSnapshot,
} from './worktree-snapshot.js'
