import { NexusError } from '../errors/index.js'
import { requireCapability, type Provider, type ProviderSnapshots } from '../provider/index.js'
import {
  captureWorktree,
  deleteWorktreeSnapshot,
  restoreWorktree,
  snapshotRef,
  validateSnapshotName,
  type SnapshotRecord,
} from '../snapshots/index.js'
import type { Workspace, WorkspaceStatus } from '../workspace/index.js'
import { managerConfig } from './config-view.js'
import { timestamp, type ManagerDeps } from './deps.js'
import { wrapBackendError } from './create.js'
import { startOnBackend, withWorkspace } from './lifecycle.js'
import { markError, transition } from './records.js'
import { requireSnapshot, storeOf } from './snapshot-source.js'

export interface SnapshotCreateOptions {
  name: string
  description?: string
}

export interface SnapshotRestoreResult {
  workspace: Workspace
  snapshot: SnapshotRecord
  warnings: string[]
}

/** Statuses in which a workspace holds something whole to capture or to put back. */
const SNAPSHOT_STATUSES: readonly WorkspaceStatus[] = ['running', 'stopped', 'paused']
const RESTORE_STATUSES: readonly WorkspaceStatus[] = [...SNAPSHOT_STATUSES, 'error']

/** The backend's snapshot calls, or CAPABILITY_NOT_SUPPORTED. */
export function backendSnapshots(provider: Provider, action: string): ProviderSnapshots {
  requireCapability(provider, 'snapshots', action)
  if (provider.snapshots) return provider.snapshots
  throw new NexusError(
    'PROVIDER_INCOMPATIBLE',
    `The ${provider.name} backend claims "snapshots" but implements none.`,
    {
      suggestion:
        'Update the provider plugin (`nexus plugins update`), or switch the capability off in its config.',
    },
  )
}

function assertStatus(workspace: Workspace, allowed: readonly WorkspaceStatus[], action: string): void {
  if (allowed.includes(workspace.status)) return
  throw new NexusError(
    'INVALID_TRANSITION',
    `Workspace "${workspace.name}" is ${workspace.status} and cannot ${action}.`,
    {
      suggestion: `Run \`nexus workspace info ${workspace.name}\` to see its state, or \`nexus workspace start ${workspace.name}\`.`,
      details: { status: workspace.status },
    },
  )
}

/** Captures the worktree (in git) and the backend's state, and records the snapshot. */
export async function createSnapshot(
  deps: ManagerDeps,
  target: Workspace,
  options: SnapshotCreateOptions,
): Promise<SnapshotRecord> {
  validateSnapshotName(options.name)
  const provider = await deps.registry.get(target.backend)
  const backend = backendSnapshots(provider, 'take snapshots')
  return withWorkspace(deps, target, async (workspace) => {
    assertStatus(workspace, SNAPSHOT_STATUSES, 'be snapshotted')
    if (await storeOf(deps).find(workspace.id, options.name)) {
      throw new NexusError(
        'SNAPSHOT_ALREADY_EXISTS',
        `Workspace "${workspace.name}" already has a snapshot named "${options.name}".`,
        {
          suggestion: `Choose another name, or delete the old one first (\`nexus workspace snapshot delete ${workspace.name} ${options.name}\`).`,
          details: { workspace: workspace.name, snapshot: options.name },
        },
      )
    }
    const ref = snapshotRef(workspace.id, options.name)
    const done = deps.reporter.step(`Snapshotting ${workspace.name} as ${options.name}`)
    try {
      const worktree = await captureWorktree(
        workspace.worktreePath,
        ref,
        `nexus snapshot ${workspace.name}/${options.name}`,
      )
      const created = await backend
        .create(workspace, { name: options.name, description: options.description ?? null })
        .catch(async (error: unknown) => {
          await deleteWorktreeSnapshot(workspace.repoRoot, ref)
          throw wrapBackendError(provider.name, 'snapshot', workspace.name, error)
        })
      const record: SnapshotRecord = {
        name: options.name,
        description: options.description ?? null,
        createdAt: timestamp(deps),
        sizeBytes: worktree.changedBytes + (created.sizeBytes ?? 0),
        workspace: { id: workspace.id, name: workspace.name, backend: workspace.backend },
        worktree,
        backend: created.ref,
        backendSizeBytes: created.sizeBytes,
      }
      await storeOf(deps).add(workspace.id, record)
      done('done')
      return record
    } catch (error) {
      done('failed')
      throw error
    }
  })
}

/** Oldest first, from state alone. Works whatever the backend can do, so old snapshots can always be seen. */
export async function listSnapshots(deps: ManagerDeps, workspace: Workspace): Promise<SnapshotRecord[]> {
  return storeOf(deps).list(workspace.id)
}

/** Stops a running or paused workspace (inside its lock) so that nothing writes while it is put back. */
async function stopForRestore(
  deps: ManagerDeps,
  provider: Provider,
  workspace: Workspace,
): Promise<Workspace> {
  if (workspace.status === 'stopped') return workspace
  let current = workspace
  if (current.status === 'paused') {
    await provider.resume(current)
    current = await transition(deps, current, 'running')
  }
  const done = deps.reporter.step(`Stopping ${current.name}`)
  await provider
    .stop(current, { graceSeconds: managerConfig(deps.loaded).stopGraceSeconds })
    .catch((error: unknown) => {
      done('failed')
      throw error
    })
  done('done')
  return transition(deps, current, 'stopped')
}

/**
 * Puts a snapshot back: stop → worktree (branch, files, index) → backend → start again when it was running or
 * paused. Commits made after the snapshot leave the branch (git's reflog still has them). A failure part-way
 * leaves the workspace in `error`, and running the restore again finishes the job.
 */
export async function restoreSnapshot(
  deps: ManagerDeps,
  target: Workspace,
  name: string,
): Promise<SnapshotRestoreResult> {
  const provider = await deps.registry.get(target.backend)
  const backend = backendSnapshots(provider, 'restore snapshots')
  return withWorkspace(deps, target, async (workspace) => {
    const snapshot = await requireSnapshot(deps, workspace, name)
    assertStatus(workspace, RESTORE_STATUSES, 'be restored')
    const restart = workspace.status === 'running' || workspace.status === 'paused'
    const warnings: string[] = []
    // Restore throws away whatever the worktree holds now; keep it first, so nothing the user made is lost.
    const backup = await captureWorktree(
      workspace.worktreePath,
      backupRef(workspace.id, timestamp(deps)),
      `nexus: ${workspace.name} before restoring ${name}`,
    )
    if (backup.changedFiles > 0 || backup.head !== snapshot.worktree.head) {
      warnings.push(
        `The worktree as it was before the restore is kept at ${backup.ref}: \`git stash apply ${backup.commit.slice(0, 12)}\` brings its files back.`,
      )
    }
    let current = workspace
    try {
      current = await stopForRestore(deps, provider, current)
      const done = deps.reporter.step(`Restoring ${current.name} to ${name}`)
      await restoreWorktree(current.worktreePath, snapshot.worktree)
      const restored = await backend.restore(current, snapshot.backend).catch((error: unknown) => {
        done('failed')
        throw error
      })
      done('done')
      warnings.push(...(restored?.warnings ?? []))
      current = await transition(
        deps,
        current,
        'stopped',
        restored?.backendRef ? { backendRef: restored.backendRef } : {},
      )
      if (restart) current = await startOnBackend(deps, provider, current)
    } catch (error) {
      const wrapped = wrapBackendError(provider.name, 'restore', current.name, error)
      await markError(deps, current, wrapped)
      throw wrapped
    }
    return { workspace: current, snapshot, warnings }
  })
}

/** Where the worktree's state from just before a restore is kept (`git for-each-ref refs/nexus/backups`). */
function backupRef(workspaceId: string, time: string): string {
  return `refs/nexus/backups/${workspaceId}/before-restore-${time.replace(/[^0-9]/g, '')}`
}

/** Removes one snapshot everywhere: the backend's part, the git ref, the record. Caller holds the workspace lock. */
export async function removeSnapshot(
  deps: ManagerDeps,
  provider: Provider,
  workspace: Workspace,
  snapshot: SnapshotRecord,
): Promise<void> {
  if (provider.snapshots) {
    await provider.snapshots.delete(workspace, snapshot.backend).catch((error: unknown) => {
      throw wrapBackendError(provider.name, `delete snapshot ${snapshot.name} of`, workspace.name, error)
    })
  }
  await deleteWorktreeSnapshot(workspace.repoRoot, snapshot.worktree.ref)
  await storeOf(deps).remove(workspace.id, snapshot.name)
}

export async function deleteSnapshot(
  deps: ManagerDeps,
  target: Workspace,
  name: string,
): Promise<SnapshotRecord> {
  const provider = await deps.registry.get(target.backend)
  return withWorkspace(deps, target, async (workspace) => {
    const snapshot = await requireSnapshot(deps, workspace, name)
    await removeSnapshot(deps, provider, workspace, snapshot)
    return snapshot
  })
}

/** Destroy's guard: snapshots are work too, and are only thrown away when asked to. */
export async function assertNoSnapshots(deps: ManagerDeps, workspace: Workspace): Promise<void> {
  const snapshots = await storeOf(deps).list(workspace.id)
  if (snapshots.length === 0) return
  const names = snapshots.map((snapshot) => snapshot.name)
  throw new NexusError(
    'HAS_SNAPSHOTS',
    `Workspace "${workspace.name}" has ${names.length} snapshot(s): ${names.join(', ')}.`,
    {
      suggestion: `Destroy it with its snapshots (\`nexus workspace destroy ${workspace.name} --with-snapshots\`), or delete them first with \`nexus workspace snapshot delete\`.`,
      details: { snapshots: names },
    },
  )
}

export async function removeAllSnapshots(
  deps: ManagerDeps,
  provider: Provider,
  workspace: Workspace,
): Promise<void> {
  for (const snapshot of await storeOf(deps).list(workspace.id))
    await removeSnapshot(deps, provider, workspace, snapshot)
}
