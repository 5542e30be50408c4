import type { Writable, Readable } from 'node:stream'
import type { OperationParams, Reporter } from '../provider/index.js'
import type { JsonValue, ResourceClass, Workspace, WorkspaceStatus } from '../workspace/index.js'

/** Who asked for an operation; recorded in the event log. */
export type Actor = 'user' | 'agent' | 'system'

/**
 * The one method of oclif's `Config` that core needs, typed structurally so core does not depend on oclif:
 * the CLI and plugin commands pass `this.config`.
 */
export interface HookRunner {
  runHook(
    event: string,
    options: Record<string, unknown>,
    timeout?: number,
    captureErrors?: boolean,
  ): Promise<{
    successes: Array<{ plugin: PluginInfo; result: unknown }>
    failures: Array<{ plugin: PluginInfo; error: Error }>
  }>
}

export interface PluginInfo {
  name: string
  version: string
  type: string
}

export interface CreateOptions {
  name: string
  backend?: string
  fromBranch?: string
  resources?: ResourceClass
  cpu?: number
  memory?: number
  /** `name=container[:host]` strings from `--port`. */
  ports?: string[]
  labels?: Record<string, string>
  /**
   * Backend-specific options from flags. Keys the CLI sets: `image`, `region`, `autoStop` (minutes, 0 = never),
   * `ephemeral`, `disk` (GiB), `gitUrl` and `gitBranch` (clone inside the backend instead of copying the worktree).
   * A backend ignores the keys that mean nothing to it.
   */
  options?: Record<string, JsonValue>
  /**
   * Start from a snapshot: the new branch starts at the snapshot's commit, the worktree gets the snapshot's files,
   * and the backend provisions from the snapshot when it can. Without `workspace`, the snapshot name must be
   * unique among the repository's workspaces.
   */
  fromSnapshot?: { workspace?: string; snapshot: string }
}

export interface DestroyOptions {
  force?: boolean
  keepBranch?: boolean
  removeVolumes?: boolean
  /** Delete the workspace's snapshots too; without it, a workspace that has snapshots is not destroyed. */
  withSnapshots?: boolean
}

export interface DestroyResult {
  workspace: Workspace
  branchDeleted: boolean
  /** Why the branch was kept, when it was. */
  branchNote?: string
}

export interface ListFilter {
  status?: WorkspaceStatus
  backend?: string
  labels?: Record<string, string>
  /** Only workspaces of this repository; all repositories when absent. */
  repoRoot?: string
}

export interface ExecOptions {
  command: string[]
  stdin?: Readable
  stdout: Writable
  stderr: Writable
  tty?: boolean
  env?: Record<string, string>
}

export interface OperationCall {
  backend: string
  id: string
  params: OperationParams
  /** Workspace name, for workspace-scoped operations. */
  workspace?: string
}

export interface NexusOptions {
  hooks: HookRunner
  cwd?: string
  env?: Record<string, string | undefined>
  /** Config values from CLI flags: the layer between project and env. */
  flagConfig?: Record<string, unknown>
  reporter?: Reporter
  actor?: Actor
}
