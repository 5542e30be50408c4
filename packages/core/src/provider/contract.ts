import type { Readable, Writable } from 'node:stream'
import type { JsonObject, JsonValue, Workspace } from '../workspace/index.js'
import type { Capabilities, Capability } from './capabilities.js'

/**
 * The provider contract, version 1.
 *
 * It is structural on purpose: a user-installed plugin brings its own copy of @nexus/core, so nothing here may rely
 * on `instanceof`, classes or module-level singletons. Everything that crosses the boundary is a plain object,
 * a function, a Node stream, or JSON.
 */
export const PROVIDER_API_VERSION = 1 as const
export type ProviderApiVersion = typeof PROVIDER_API_VERSION

/** Messages for the user; the CLI renders them (spinners on a TTY, nothing when quiet or --json). */
export interface Reporter {
  /** A slow step; the returned function ends it. */
  step(title: string): (outcome?: 'done' | 'failed' | 'skipped', note?: string) => void
  info(message: string): void
  warn(message: string): void
  debug(message: string): void
}

export interface ProviderContext {
  /** The provider's own section of the merged config: `backends.<name>`. Validated by the provider. */
  config: JsonObject
  /** The whole merged config, read-only, for shared sections (`ssh`, `services`, `env`, …). */
  globalConfig: JsonObject
  /** `$NEXUS_HOME`: where a provider may keep its own files (`<home>/providers/<name>/`). */
  nexusHome: string
  env: Readonly<Record<string, string | undefined>>
  reporter: Reporter
}

/** What core hands a provider when a workspace is created. */
export interface WorkspaceSpec {
  /** Merged env for the workspace (config `env:` and env files); may hold secrets: never log it. */
  env: Record<string, string>
  /** Public keys (OpenSSH format) to authorize for the workspace user. */
  authorizedKeys: string[]
  /** The repository's git common dir (`<repo>/.git`), which backends that mount the worktree must mount too. */
  gitCommonDir: string
  /** Backend-specific options from flags (`--image`, `--region`, …), already merged over config. */
  options: JsonObject
}

export interface CreateRequest {
  workspace: Workspace
  spec: WorkspaceSpec
}

export interface CreateResult {
  backendRef: JsonObject
}

export interface StartResult {
  /** A changed handle (e.g. a container recreated with new ports). */
  backendRef?: JsonObject
  warnings?: string[]
}

/** The live status as the backend sees it. `missing` means the backend holds nothing for the workspace. */
export type BackendStatus = 'pending' | 'running' | 'stopped' | 'paused' | 'error' | 'missing'

export interface InspectResult {
  status: BackendStatus
  detail?: string
}

/** Something the backend holds, for reconciling state with reality (orphans, leftovers). */
export interface BackendResource {
  kind: string
  id: string
  name: string
  /** The nexus workspace id from the resource's labels, when it carries one. */
  workspaceId: string | null
  status: BackendStatus
}

export interface SshEndpoint {
  host: string
  port: number
  user: string
  /** Path of the private key file to authenticate with (mode 0600). */
  identity: string
  forwardAgent: boolean
  /** Where commands and shells start on the backend (e.g. `/workspace`); the login directory when absent. */
  workdir?: string
}

export interface ExecRequest {
  command: string[]
  /** Defaults to the workspace's working directory on the backend. */
  cwd?: string
  env?: Record<string, string>
  stdin?: Readable
  stdout: Writable
  stderr: Writable
  tty?: boolean
  /** With `tty`: the local terminal's size, for the remote pty. */
  terminalSize?: TerminalSize
  /** With `tty`: subscribes to the local terminal's size changes; returns the unsubscribe. */
  onResize?: (listener: (size: TerminalSize) => void) => () => void
}

export interface TerminalSize {
  cols: number
  rows: number
}

export interface ExecResult {
  exitCode: number
}

export interface LogsRequest {
  follow?: boolean
  tail?: number
  /** ISO time or a duration like `10m`. */
  since?: string
  stdout: Writable
  stderr: Writable
}

export interface StatsResult {
  cpuPercent: number
  memoryBytes: number
  memoryLimitBytes: number | null
}

export interface HealthResult {
  ok: boolean
  message: string
  /**
   * False when the backend is simply not set up here yet (no credentials): not a fault until someone uses it, so
   * `nexus doctor` reports it as such instead of failing.
   */
  configured?: boolean
  details?: JsonObject
}

export type ParamType = 'string' | 'number' | 'boolean'

export interface ParamSpec {
  type: ParamType
  description: string
  required?: boolean
  default?: string | number | boolean
  /** Allowed values, for strings. */
  options?: string[]
}

/**
 * An escape hatch: something only this backend can do, with a dotted id (`daytona.snapshot.create`).
 * Core checks `capability` before calling `runOperation`, and validates params against `params`.
 */
export interface OperationDescriptor {
  id: string
  summary: string
  capability: Capability
  scope: 'workspace' | 'provider'
  params: Record<string, ParamSpec>
}

export type OperationParams = Record<string, string | number | boolean | undefined>

export interface OperationRequest {
  id: string
  params: OperationParams
  /** Present for workspace-scoped operations. */
  workspace?: Workspace
}

/** What core asks a backend to capture besides the worktree (which core snapshots itself, in git). */
export interface SnapshotRequest {
  /** A workspace-name-like name, unique among the workspace's snapshots. */
  name: string
  description: string | null
}

export interface SnapshotCreated {
  /** The backend's handle on what it captured (image, archives, …); JSON, kept in core's snapshot record. */
  ref: JsonObject
  /** What the captured backend state takes up, when the backend can tell. */
  sizeBytes: number | null
}

/**
 * Snapshots of what a backend holds beyond the worktree: the root filesystem, volumes, service data. Gated by the
 * `snapshots` capability. Core snapshots the worktree itself (git objects under `refs/nexus/snapshots/…`) and keeps
 * the records; the backend only captures, restores and deletes its own part.
 *
 * `restore` is always called on a stopped workspace: core stops a running (or paused) one first and starts it again
 * afterwards, so a backend never has to juggle its own lifecycle around a restore.
 */
export interface ProviderSnapshots {
  create(workspace: Workspace, request: SnapshotRequest): Promise<SnapshotCreated>
  /** Puts the backend state captured in `ref` back. The workspace is stopped, and stays stopped. */
  restore(workspace: Workspace, ref: JsonObject): Promise<StartResult | void>
  /** Removes what `ref` holds. Something already gone is not an error. */
  delete(workspace: Workspace, ref: JsonObject): Promise<void>
  /**
   * Provisions a new workspace (like `create`, not started) from another workspace's snapshot. Without it, core
   * creates the new workspace normally and only its worktree comes from the snapshot.
   */
  createFrom?(request: CreateRequest, ref: JsonObject): Promise<CreateResult>
}

/**
 * What `nexus workspace cleanup` asks a backend about leftovers. `list` returns what the backend judges removable
 * when its workspace is gone (containers, networks, volumes, dangling images, …), each with the workspace id from
 * its labels; `remove` removes one of them, and something already gone is not an error. Without it, cleanup leaves
 * the backend alone: only the backend can tell its own leftovers from what others (another machine, another home)
 * made.
 */
export interface ProviderLeftovers {
  list(): Promise<LeftoverResource[]>
  remove(resource: LeftoverResource): Promise<void>
}

/** A backend resource as cleanup sees it: in the order to remove them (containers before their networks). */
export interface LeftoverResource extends BackendResource {
  /**
   * The repository it was made for, from its labels; null when it has none (an image). Absent when the backend keeps
   * its resources under NEXUS_HOME, where no other home's workspaces can be.
   */
  repoRoot?: string | null
}

export interface Provider {
  readonly apiVersion: ProviderApiVersion
  readonly name: string
  capabilities(): Capabilities
  operations(): OperationDescriptor[]
  create(request: CreateRequest): Promise<CreateResult>
  start(workspace: Workspace): Promise<StartResult | void>
  stop(workspace: Workspace, options?: { graceSeconds?: number }): Promise<void>
  pause(workspace: Workspace): Promise<void>
  resume(workspace: Workspace): Promise<void>
  /** Removes everything the backend holds for the workspace. A workspace the backend no longer has is not an error. */
  destroy(workspace: Workspace, options?: { removeVolumes?: boolean }): Promise<void>
  inspect(workspace: Workspace): Promise<InspectResult>
  list(): Promise<BackendResource[]>
  sshEndpoint(workspace: Workspace): Promise<SshEndpoint>
  /** Native fast path for running a command; without it, core runs commands over SSH. */
  exec?(workspace: Workspace, request: ExecRequest): Promise<ExecResult>
  logs?(workspace: Workspace, request: LogsRequest): Promise<void>
  stats?(workspace: Workspace): Promise<StatsResult>
  /** Present when the backend has the `snapshots` capability. */
  snapshots?: ProviderSnapshots
  /** Leftover discovery and removal for `nexus workspace cleanup`; optional. */
  leftovers?: ProviderLeftovers
  health(): Promise<HealthResult>
  runOperation(request: OperationRequest): Promise<JsonValue>
}

/** What a provider module exports: a factory that makes the provider from its context. */
export interface ProviderFactory {
  readonly apiVersion: ProviderApiVersion
  readonly name: string
  create(context: ProviderContext): Provider | Promise<Provider>
}

/** One entry of the `nexus:providers` hook: cheap to return, `load()` imports the real code only when used. */
export interface ProviderDescriptor {
  apiVersion: ProviderApiVersion
  name: string
  summary: string
  load(): Promise<ProviderFactory | { default: ProviderFactory }>
}

/** What a plugin's `nexus:providers` hook returns. */
export interface ProviderRegistration {
  apiVersion: ProviderApiVersion
  providers: ProviderDescriptor[]
}

/** Options the CLI passes to the `nexus:providers` hook. */
export interface ProvidersHookOptions {
  apiVersion: ProviderApiVersion
}

export function defineProvider(factory: Omit<ProviderFactory, 'apiVersion'>): ProviderFactory {
  return { apiVersion: PROVIDER_API_VERSION, ...factory }
}

export function defineProviderRegistration(
  providers: Array<Omit<ProviderDescriptor, 'apiVersion'>>,
): ProviderRegistration {
  return {
    apiVersion: PROVIDER_API_VERSION,
    providers: providers.map((p) => ({ apiVersion: PROVIDER_API_VERSION, ...p })),
  }
}

/**
 * The default export of a provider plugin's `nexus:providers` hook module. oclif runs the hook in every nexus
 * invocation, so it only describes the backends; each provider module loads in its descriptor's `load()`, when a
 * command first needs that backend.
 */
export function providersHook(
  providers: Array<Omit<ProviderDescriptor, 'apiVersion'>>,
): () => Promise<ProviderRegistration> {
  return async () => defineProviderRegistration(providers)
}
