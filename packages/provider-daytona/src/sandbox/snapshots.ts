import { randomBytes } from 'node:crypto'
import {
  NexusError,
  type CreateRequest,
  type CreateResult,
  type JsonObject,
  type ProviderSnapshots,
  type SnapshotCreated,
  type SnapshotRequest,
  type StartResult,
  type Workspace,
} from '@nexus/core'
import { isNexusNotFound, type Sandboxes } from './sandboxes.js'
import { createSandbox } from './create.js'
import { requireRef } from './naming.js'
import type { SshAccess } from './ssh.js'

/** A Daytona snapshot name: unique in the organisation, and telling whose it is. */
export function daytonaSnapshotName(workspace: Workspace, name: string): string {
  return `nexus-${workspace.id.slice(0, 8)}-${name}`
}

function snapshotOf(ref: JsonObject): string {
  if (typeof ref.snapshot === 'string' && ref.snapshot !== '') return ref.snapshot
  throw new NexusError('STATE_CORRUPT', 'A Daytona snapshot record names no Daytona snapshot.', {
    suggestion:
      'Delete that snapshot (`nexus workspace snapshot delete <workspace> <snapshot>`) and take a new one.',
  })
}

/**
 * Sandbox snapshots: Daytona captures the sandbox's filesystem as a snapshot template, and "restoring" makes a new
 * sandbox from that template in place of the old one, keeping the workspace's identity, worktree and ports.
 */
export class DaytonaSnapshots implements ProviderSnapshots {
  constructor(
    private readonly sandboxes: Sandboxes,
    private readonly ssh: SshAccess,
  ) {}

  async create(workspace: Workspace, request: SnapshotRequest): Promise<SnapshotCreated> {
    const sandbox = await this.sandboxes.require(workspace)
    const snapshot = daytonaSnapshotName(workspace, request.name)
    await this.sandboxes.call(`snapshot workspace "${workspace.name}"`, workspace, () =>
      sandbox.createSnapshot(snapshot, this.sandboxes.deps.config.createTimeoutSeconds),
    )
    const size = await this.sandboxes
      .call(`read snapshot ${snapshot}`, workspace, (daytona) => daytona.snapshot.get(snapshot))
      .then((found) => (typeof found.size === 'number' ? Math.round(found.size * 1024 ** 3) : null))
      .catch(() => null)
    return { ref: { snapshot, sourceSandboxId: sandbox.id }, sizeBytes: size }
  }

  async restore(workspace: Workspace, ref: JsonObject): Promise<StartResult> {
    const old = requireRef(workspace)
    const previous = await this.sandboxes.find(workspace)
    const created = await createSandbox(
      this.sandboxes,
      // The new sandbox keeps the old one's env; nexus never stored it (it may hold secrets).
      { workspace, spec: { env: previous?.env ?? {}, authorizedKeys: [], gitCommonDir: '', options: {} } },
      { snapshot: snapshotOf(ref), nameSuffix: `-r${randomBytes(2).toString('hex')}` },
    )
    await this.ssh.revoke(workspace, previous, old.sandboxId)
    if (previous) {
      await this.sandboxes
        .call(`delete the old sandbox of workspace "${workspace.name}"`, workspace, () => previous.delete())
        .catch((error: unknown) => {
          if (!isNexusNotFound(error)) throw error
        })
    }
    return { backendRef: created.backendRef }
  }

  async delete(workspace: Workspace, ref: JsonObject): Promise<void> {
    const snapshot = snapshotOf(ref)
    await this.sandboxes
      .call(`delete snapshot ${snapshot}`, workspace, (daytona) => daytona.snapshot.delete(snapshot))
      .catch((error: unknown) => {
        if (!isNexusNotFound(error)) throw error
      })
  }

  createFrom(request: CreateRequest, ref: JsonObject): Promise<CreateResult> {
    return createSandbox(this.sandboxes, request, { snapshot: snapshotOf(ref) })
  }
}
