import { NexusError, type Clock, type Reporter, type Workspace } from '@nexus/core'
import { callDaytona, isNotFoundError, type ErrorContext } from '../client/errors.js'
import type { Daytona, DaytonaClientHolder, Sandbox } from '../client/sdk.js'
import type { DaytonaBackendConfig } from '../config.js'
import { LABELS, MANAGED_BY, refOf, statusOf } from './naming.js'

export interface SandboxesDeps {
  client: DaytonaClientHolder
  config: DaytonaBackendConfig
  reporter: Reporter
  clock: Clock
  /** This installation's `nexus.home` label (core's `nexusHomeId`). */
  home: string
}

/** States on the way to `started`, which are waited out rather than refused. */
const STARTING_STATES = new Set(['starting', 'creating', 'restoring', 'pulling_snapshot', 'resuming'])

/**
 * Finding a workspace's sandbox and calling Daytona about it: every call goes through `call`, which retries 429s
 * and turns SDK failures into coded errors that name the workspace.
 */
export class Sandboxes {
  constructor(readonly deps: SandboxesDeps) {}

  context(action: string, workspace?: Workspace): ErrorContext {
    return {
      action,
      apiUrl: this.deps.config.apiUrl,
      apiKey: this.deps.config.apiKey,
      target: this.deps.config.target,
      ...(workspace ? { workspace: workspace.name } : {}),
    }
  }

  /** `target` picks the region's client; only create needs it (everything else goes by sandbox id). */
  async call<T>(
    action: string,
    workspace: Workspace | undefined,
    fn: (daytona: Daytona) => Promise<T>,
    target?: string,
  ): Promise<T> {
    const context = { ...this.context(action, workspace), ...(target ? { target } : {}) }
    const daytona = await callDaytona(() => this.deps.client.get(target), context)
    return callDaytona(() => fn(daytona), context, { clock: this.deps.clock })
  }

  /** The workspace's sandbox, or undefined when Daytona no longer has it. */
  async find(workspace: Workspace): Promise<Sandbox | undefined> {
    const ref = refOf(workspace)
    if (ref) {
      try {
        return await this.call(`look up the sandbox of workspace "${workspace.name}"`, workspace, (daytona) =>
          daytona.get(ref.sandboxId),
        )
      } catch (error) {
        if (isNexusNotFound(error)) return undefined
        throw error
      }
    }
    // No handle yet (a create that failed half-way): the labels still say whose sandbox it is.
    return this.call(`look up the sandbox of workspace "${workspace.name}"`, workspace, async (daytona) => {
      for await (const sandbox of daytona.list({ labels: { [LABELS.workspaceId]: workspace.id } }))
        return sandbox
      return undefined
    })
  }

  async require(workspace: Workspace): Promise<Sandbox> {
    const sandbox = await this.find(workspace)
    if (sandbox) return sandbox
    throw new NexusError(
      'BACKEND_ERROR',
      `The Daytona sandbox of workspace "${workspace.name}" no longer exists.`,
      {
        suggestion: `It was deleted outside nexus (or auto-deleted); destroy and recreate the workspace: \`nexus workspace destroy ${workspace.name}\`.`,
        details: { sandboxId: refOf(workspace)?.sandboxId ?? null },
      },
    )
  }

  /**
   * The sandbox, started. A workspace nexus thinks is running whose sandbox Daytona auto-stopped for inactivity is
   * started again (`auto_start_on_use`), or refused with DAYTONA_SANDBOX_STOPPED.
   */
  async running(workspace: Workspace): Promise<Sandbox> {
    if (workspace.status !== 'running') {
      throw new NexusError('WORKSPACE_NOT_RUNNING', `Workspace "${workspace.name}" is ${workspace.status}.`, {
        suggestion: `Start it with \`nexus workspace start ${workspace.name}\`.`,
      })
    }
    const sandbox = await this.require(workspace)
    const status = statusOf(sandbox.state)
    if (status === 'running') return sandbox
    if (sandbox.state && STARTING_STATES.has(sandbox.state)) {
      // Someone (Daytona, another nexus) is already starting it: wait rather than fail.
      await this.call(`wait for the sandbox of workspace "${workspace.name}"`, workspace, () =>
        sandbox.waitUntilStarted(this.deps.config.createTimeoutSeconds),
      )
      return sandbox
    }
    if (status === 'stopped' || sandbox.state === 'stopping') {
      if (!this.deps.config.autoStartOnUse) {
        throw new NexusError(
          'DAYTONA_SANDBOX_STOPPED',
          `Daytona stopped the sandbox of workspace "${workspace.name}" (it was ${sandbox.state}, probably after its auto-stop interval).`,
          {
            suggestion: `Start it with \`nexus workspace stop ${workspace.name} && nexus workspace start ${workspace.name}\`, or let nexus do it: \`nexus config set backends.daytona.auto_start_on_use true\`.`,
            details: { state: sandbox.state ?? null },
          },
        )
      }
      const done = this.deps.reporter.step(`Starting stopped sandbox of ${workspace.name}`)
      try {
        await this.call(`start the sandbox of workspace "${workspace.name}"`, workspace, async () => {
          if (sandbox.state === 'stopping')
            await sandbox.waitUntilStopped(this.deps.config.createTimeoutSeconds)
          await sandbox.start(this.deps.config.createTimeoutSeconds)
        })
        done('done')
      } catch (error) {
        done('failed')
        throw error
      }
      return sandbox
    }
    throw new NexusError(
      'WORKSPACE_NOT_RUNNING',
      `The Daytona sandbox of workspace "${workspace.name}" is ${sandbox.state ?? 'in an unknown state'}.`,
      {
        suggestion: `Run \`nexus workspace info ${workspace.name}\`, then \`nexus workspace start ${workspace.name}\`.`,
        details: { state: sandbox.state ?? null, reason: sandbox.errorReason ?? null },
      },
    )
  }

  /** Every sandbox this nexus home made, for `list()`. */
  async managed(): Promise<Sandbox[]> {
    return this.call('list sandboxes', undefined, async (daytona) => {
      const found: Sandbox[] = []
      for await (const sandbox of daytona.list({
        labels: { [LABELS.managedBy]: MANAGED_BY, [LABELS.home]: this.deps.home },
      }))
        found.push(sandbox)
      return found
    })
  }
}

/** A 404 after mapping: BACKEND_ERROR carrying status 404 in its details. */
export function isNexusNotFound(error: unknown): boolean {
  if (isNotFoundError(error)) return true
  const details = (error as { details?: { status?: unknown } } | null)?.details
  return details?.status === 404
}
