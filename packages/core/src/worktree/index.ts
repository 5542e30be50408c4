export { findRepository, type Repository } from './repo.js'
export {
  addWorktree,
  removeWorktree,
  uncommittedFiles,
  assertNoUncommittedChanges,
  ensureExcluded,
  worktreePath,
  branchName,
  WORKTREES_DIR,
  type AddedWorktree,
  type AddWorktreeInput,
  type RemovedWorktree,
} from './worktrees.js'
export type { LeftoverChoice } from './leftover.js'
