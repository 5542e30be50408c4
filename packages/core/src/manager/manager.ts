import type { DestroyOptions, DestroyResult, ExecOptions, ListFilter, OperationCall } from '../app/types.js'
import { NexusError } from '../errors/index.js'
import { runOperation, type LogsRequest, type SshEndpoint } from '../provider/index.js'
import { registerSession, type SessionHandle, type SessionKind } from '../state/index.js'
import { findRepository } from '../worktree/index.js'
import type { SnapshotRecord } from '../snapshots/index.js'
import type { JsonValue, Workspace } from '../workspace/index.js'
import { createWorkspace } from './create.js'
import type { CreateWorkspaceOptions } from './create-worktree.js'
import type { ManagerDeps } from './deps.js'
import { destroyWorkspace } from './destroy.js'
import { execInWorkspace } from './exec.js'
import { workspaceInfo, type WorkspaceInfo } from './info.js'
import {
  pauseWorkspace,
  resumeWorkspace,
  startWorkspace,
  stopWorkspace,
  withWorkspace,
  type LifecycleResult,
} from './lifecycle.js'
import { observeWorkspaces, type ListedWorkspace } from './observe.js'
import { resolveWorkspace } from './records.js'
import { shellInWorkspace, sshEndpointFor, type ShellOptions } from './shell.js'
import {
  createSnapshot,
  deleteSnapshot,
  listSnapshots,
  restoreSnapshot,
  type SnapshotCreateOptions,
  type SnapshotRestoreResult,
} from './snapshots.js'
import { syncSshConfig } from './ssh-config-sync.js'
import { switchLockKey, switchWorkspace, type SwitchOptions, type SwitchResult } from './switch.js'
import { tracked } from './track.js'

/**
 * The workspace operations, one method each. Every operation that changes a workspace holds its inter-process
 * lock and is recorded in the event log; the steps themselves live in the modules imported above.
 */
export class WorkspaceManager {
  private repoRoot: Promise<string | undefined> | undefined

  constructor(private readonly deps: ManagerDeps) {}

  /** The repository of the cwd, or undefined outside one (then names are looked up across repositories). */
  currentRepo(): Promise<string | undefined> {
    this.repoRoot ??= findRepository(this.deps.cwd).then(
      (repo) => repo.repoRoot,
      () => undefined,
    )
    return this.repoRoot
  }

  async get(name: string): Promise<Workspace> {
    return resolveWorkspace(this.deps, name, await this.currentRepo())
  }

  async create(options: CreateWorkspaceOptions): Promise<Workspace> {
    const workspace = await tracked(
      this.deps,
      'create',
      { name: options.name, ...(options.backend ? { backend: options.backend } : {}) },
      () => createWorkspace(this.deps, options),
    )
    await this.refreshSshConfig(workspace.id)
    return workspace
  }

  async start(name: string): Promise<LifecycleResult> {
    const workspace = await this.get(name)
    const result = await tracked(this.deps, 'start', { name, workspace }, () =>
      startWorkspace(this.deps, workspace),
    )
    if (!result.unchanged) await this.refreshSshConfig(workspace.id)
    return result
  }

  async stop(name: string): Promise<LifecycleResult> {
    const workspace = await this.get(name)
    return tracked(this.deps, 'stop', { name, workspace }, () => stopWorkspace(this.deps, workspace))
  }

  async pause(name: string): Promise<LifecycleResult> {
    const workspace = await this.get(name)
    return tracked(this.deps, 'pause', { name, workspace }, () => pauseWorkspace(this.deps, workspace))
  }

  async resume(name: string): Promise<LifecycleResult> {
    const workspace = await this.get(name)
    return tracked(this.deps, 'resume', { name, workspace }, () => resumeWorkspace(this.deps, workspace))
  }

  /** Makes `name` the repository's current workspace, setting the previous one aside per `switch.previous`. */
  async switch(name: string, options: SwitchOptions = {}): Promise<SwitchResult> {
    const workspace = await this.get(name)
    const result = await tracked(this.deps, 'switch', { name, workspace }, () =>
      switchWorkspace(this.deps, workspace, options),
    )
    // Only a start that moved the ports changes an SSH endpoint; a resume keeps them, and switching must stay fast.
    if (JSON.stringify(result.workspace.ports) !== JSON.stringify(workspace.ports))
      await this.refreshSshConfig(workspace.id)
    return result
  }

  async destroy(name: string, options: DestroyOptions = {}): Promise<DestroyResult> {
    const workspace = await this.get(name)
    const result = await tracked(this.deps, 'destroy', { name, workspace }, () =>
      this.deps.state.withLock(
        switchLockKey(workspace.repoRoot),
        () => destroyWorkspace(this.deps, workspace, options),
        { what: `A switch in ${workspace.repoRoot}` },
      ),
    )
    await this.refreshSshConfig(workspace.id)
    return result
  }

  async createSnapshot(name: string, options: SnapshotCreateOptions): Promise<SnapshotRecord> {
    const workspace = await this.get(name)
    return tracked(this.deps, 'snapshot create', { name, workspace }, () =>
      createSnapshot(this.deps, workspace, options),
    )
  }

  async listSnapshots(name: string): Promise<SnapshotRecord[]> {
    return listSnapshots(this.deps, await this.get(name))
  }

  async restoreSnapshot(name: string, snapshot: string): Promise<SnapshotRestoreResult> {
    const workspace = await this.get(name)
    const result = await tracked(this.deps, 'snapshot restore', { name, workspace }, () =>
      restoreSnapshot(this.deps, workspace, snapshot),
    )
    // A restore ends in a start, which may have moved the ports.
    await this.refreshSshConfig(workspace.id)
    return result
  }

  async deleteSnapshot(name: string, snapshot: string): Promise<SnapshotRecord> {
    const workspace = await this.get(name)
    return tracked(this.deps, 'snapshot delete', { name, workspace }, () =>
      deleteSnapshot(this.deps, workspace, snapshot),
    )
  }

  /**
   * Records that this process is attached to the workspace (an SSH shell or command, an interactive exec) until
   * the handle is released, so that `destroy` refuses to pull the workspace out from under it without --force.
   */
  async attachSession(name: string, kind: SessionKind): Promise<SessionHandle> {
    const workspace = await this.get(name)
    return registerSession(this.deps.state.paths.root, { workspaceId: workspace.id, workspace: name, kind })
  }

  /**
   * The listed workspaces with what their backends say about the ones recorded running or paused, so `ls` shows the
   * truth after an engine restart or a crash.
   */
  async listObserved(filter: ListFilter = {}): Promise<ListedWorkspace[]> {
    return observeWorkspaces(this.deps, await this.list(filter))
  }

  /** From state alone — no backend calls — so listing stays fast however many workspaces there are. */
  async list(filter: ListFilter = {}): Promise<Workspace[]> {
    const all = await this.deps.state.list()
    return all.filter(
      (w) =>
        (filter.repoRoot === undefined || w.repoRoot === filter.repoRoot) &&
        (filter.status === undefined || w.status === filter.status) &&
        (filter.backend === undefined || w.backend === filter.backend) &&
        Object.entries(filter.labels ?? {}).every(([k, v]) => w.labels[k] === v),
    )
  }

  async info(name: string): Promise<WorkspaceInfo> {
    return workspaceInfo(this.deps, await this.get(name))
  }

  async exec(name: string, options: ExecOptions): Promise<number> {
    return execInWorkspace(this.deps, await this.get(name), options)
  }

  /** A shell or one command in the workspace, over SSH or the backend's exec; attached as a session meanwhile. */
  async shell(name: string, options: ShellOptions): Promise<number> {
    return shellInWorkspace(this.deps, await this.get(name), options)
  }

  /** The SSH endpoint of a running workspace whose backend has one (for `ssh --json` and tools). */
  async sshEndpoint(name: string): Promise<{ workspace: Workspace; endpoint: SshEndpoint }> {
    const workspace = await this.get(name)
    const provider = await this.deps.registry.get(workspace.backend)
    return { workspace, endpoint: await sshEndpointFor(workspace, provider) }
  }

  async logs(name: string, request: LogsRequest): Promise<void> {
    const workspace = await this.get(name)
    const provider = await this.deps.registry.get(workspace.backend)
    if (!provider.logs) {
      throw new NexusError('CAPABILITY_NOT_SUPPORTED', `The ${provider.name} backend keeps no logs.`, {
        suggestion: `Run \`nexus workspace exec ${name} -- <command>\` to look inside the workspace.`,
      })
    }
    await provider.logs(workspace, request)
  }

  /** Runs an escape hatch; workspace-scoped ones hold the workspace's lock while they run. */
  async runOperation(call: OperationCall): Promise<JsonValue> {
    const provider = await this.deps.registry.get(call.backend)
    if (call.workspace === undefined) {
      return tracked(this.deps, `operation ${call.id}`, { name: '', backend: call.backend }, () =>
        runOperation(provider, call.id, call.params),
      )
    }
    const workspace = await this.get(call.workspace)
    if (workspace.backend !== call.backend) {
      throw new NexusError(
        'INVALID_ARGUMENT',
        `Workspace "${workspace.name}" runs on ${workspace.backend}, not ${call.backend}.`,
        {
          suggestion: `Use \`nexus workspace provider ${workspace.backend} …\` for it (see \`nexus workspace info ${workspace.name}\`).`,
        },
      )
    }
    return tracked(this.deps, `operation ${call.id}`, { name: workspace.name, workspace }, () =>
      withWorkspace(this.deps, workspace, (fresh) => runOperation(provider, call.id, call.params, fresh)),
    )
  }

  /**
   * Keeps ~/.nexus/ssh_config current: after an operation on one workspace, only its endpoint is asked for again
   * (`changed`); without it, every backend is. A failure here must not fail the operation that triggered it.
   */
  async refreshSshConfig(changed?: string): Promise<string | undefined> {
    try {
      return await syncSshConfig(this.deps, changed)
    } catch (error) {
      this.deps.reporter.warn(`Could not update ssh_config: ${(error as Error).message}`)
      return undefined
    }
  }
}
