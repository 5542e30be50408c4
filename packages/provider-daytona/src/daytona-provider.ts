import {
  PROVIDER_API_VERSION,
  requireCapability,
  type BackendResource,
  type Capabilities,
  type CreateRequest,
  type CreateResult,
  type ExecRequest,
  type ExecResult,
  type HealthResult,
  type InspectResult,
  type JsonValue,
  type OperationDescriptor,
  type OperationRequest,
  type Provider,
  type ProviderLeftovers,
  type SshEndpoint,
  type Workspace,
} from '@nexus/core'
import { DAYTONA_OPERATIONS } from './operations/descriptors.js'
import type { PreviewStore } from './operations/previews.js'
import { runDaytonaOperation } from './operations/run.js'
import { createSandbox } from './sandbox/create.js'
import { daytonaLeftovers } from './sandbox/leftovers.js'
import { LABELS, refOf, requireRef, statusOf } from './sandbox/naming.js'
import { execViaProcessApi } from './sandbox/process.js'
import { isNexusNotFound, type Sandboxes } from './sandbox/sandboxes.js'
import { DaytonaSnapshots } from './sandbox/snapshots.js'
import type { SshAccess } from './sandbox/ssh.js'

export const DAYTONA_CAPABILITIES: Capabilities = {
  ssh: true,
  exec: true,
  sync: false,
  pause: false,
  snapshots: true,
  checkpoints: false,
  volumes: false,
  images: false,
  networks: false,
  services: false,
  previews: true,
  lsp: true,
  processApi: true,
  fileApi: true,
  logs: false,
  stats: false,
}

export interface DaytonaProviderDeps {
  sandboxes: Sandboxes
  ssh: SshAccess
  previews: PreviewStore
}

/** A Daytona sandbox per workspace, driven through the official SDK (loaded on first use). */
export class DaytonaProvider implements Provider {
  readonly apiVersion = PROVIDER_API_VERSION
  readonly name = 'daytona'
  readonly snapshots: DaytonaSnapshots
  readonly leftovers: ProviderLeftovers
  private readonly sandboxes: Sandboxes
  private readonly ssh: SshAccess

  constructor(private readonly deps: DaytonaProviderDeps) {
    this.sandboxes = deps.sandboxes
    this.ssh = deps.ssh
    this.snapshots = new DaytonaSnapshots(deps.sandboxes, deps.ssh)
    this.leftovers = daytonaLeftovers(deps.sandboxes, deps.ssh, () => this.list())
  }

  capabilities(): Capabilities {
    return { ...DAYTONA_CAPABILITIES, ...this.sandboxes.deps.config.capabilities }
  }

  operations(): OperationDescriptor[] {
    return DAYTONA_OPERATIONS
  }

  create(request: CreateRequest): Promise<CreateResult> {
    return createSandbox(this.sandboxes, request)
  }

  async start(workspace: Workspace): Promise<void> {
    const sandbox = await this.sandboxes.require(workspace)
    if (sandbox.state === 'started') return
    const timeout = this.sandboxes.deps.config.createTimeoutSeconds
    await this.sandboxes.call(`start the sandbox of workspace "${workspace.name}"`, workspace, async () => {
      if (sandbox.state === 'stopping') await sandbox.waitUntilStopped(timeout)
      await sandbox.start(timeout)
    })
  }

  async stop(workspace: Workspace): Promise<void> {
    const sandbox = await this.sandboxes.find(workspace)
    if (!sandbox || statusOf(sandbox.state) === 'stopped' || statusOf(sandbox.state) === 'missing') return
    await this.sandboxes.call(`stop the sandbox of workspace "${workspace.name}"`, workspace, () =>
      sandbox.stop(this.sandboxes.deps.config.createTimeoutSeconds),
    )
  }

  async pause(): Promise<void> {
    requireCapability(this, 'pause', 'pause workspaces')
  }

  async resume(): Promise<void> {
    requireCapability(this, 'pause', 'resume workspaces')
  }

  /** Revokes SSH access, then deletes the sandbox; a sandbox already gone is fine. */
  async destroy(workspace: Workspace): Promise<void> {
    const sandbox = await this.sandboxes.find(workspace)
    const sandboxId = sandbox?.id ?? refOf(workspace)?.sandboxId
    if (sandboxId) await this.ssh.revoke(workspace, sandbox, sandboxId)
    if (!sandbox) return
    await this.sandboxes
      .call(`delete the sandbox of workspace "${workspace.name}"`, workspace, () => sandbox.delete())
      .catch((error: unknown) => {
        if (!isNexusNotFound(error)) throw error
      })
    await this.deps.previews.save(workspace, []).catch(() => undefined)
  }

  async inspect(workspace: Workspace): Promise<InspectResult> {
    const sandbox = await this.sandboxes.find(workspace)
    if (!sandbox) return { status: 'missing', detail: 'Daytona has no sandbox for this workspace.' }
    return {
      status: statusOf(sandbox.state),
      detail: `sandbox ${sandbox.id} is ${sandbox.state ?? 'unknown'}${sandbox.errorReason ? `: ${sandbox.errorReason}` : ''}`,
    }
  }

  async list(): Promise<BackendResource[]> {
    return (await this.sandboxes.managed()).map((sandbox) => ({
      kind: 'sandbox',
      id: sandbox.id,
      name: sandbox.name,
      workspaceId: sandbox.labels[LABELS.workspaceId] ?? null,
      status: statusOf(sandbox.state),
    }))
  }

  sshEndpoint(workspace: Workspace): Promise<SshEndpoint> {
    requireCapability(this, 'ssh', 'give an SSH endpoint')
    return this.ssh.endpoint(workspace)
  }

  /**
   * The Process API when the command needs no terminal; a `--tty` command goes over SSH, which has one.
   * A workspace nexus thinks is running whose sandbox Daytona auto-stopped is started first.
   */
  async exec(workspace: Workspace, request: ExecRequest): Promise<ExecResult> {
    requireCapability(this, 'exec', 'run commands natively')
    const sandbox = await this.sandboxes.running(workspace)
    if (request.tty === true) return this.ssh.exec(workspace, request)
    return execViaProcessApi(this.sandboxes, workspace, sandbox, requireRef(workspace).workdir, request)
  }

  async health(): Promise<HealthResult> {
    const { config } = this.sandboxes.deps
    if (!config.apiKey) {
      return {
        ok: false,
        configured: false,
        message: 'No Daytona API key: set DAYTONA_API_KEY or backends.daytona.api_key.',
      }
    }
    try {
      await this.sandboxes.call('check the API', undefined, async (daytona) => {
        for await (const sandbox of daytona.list({ labels: { [LABELS.managedBy]: 'nexus' }, limit: 1 }))
          return sandbox
        return undefined
      })
      return {
        ok: true,
        message: `Daytona API at ${config.apiUrl} answers and accepts the key.`,
        details: { apiUrl: config.apiUrl },
      }
    } catch (error) {
      return { ok: false, message: (error as Error).message, details: { apiUrl: config.apiUrl } }
    }
  }

  runOperation(request: OperationRequest): Promise<JsonValue> {
    return runDaytonaOperation({ sandboxes: this.sandboxes, previews: this.deps.previews }, request)
  }
}
