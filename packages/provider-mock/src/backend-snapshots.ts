import { readFile, rm } from 'node:fs/promises'
import {
  NexusError,
  writeFileAtomic,
  type CreateRequest,
  type CreateResult,
  type JsonObject,
  type ProviderSnapshots,
  type Workspace,
} from '@nexus/core'
import type { MockRecord, MockStateStore } from './state.js'

/** What the mock holds for a workspace beyond its worktree: the env its commands run with. */
interface SavedState {
  schemaVersion: 1
  workspaceId: string
  snapshot: string
  env: Record<string, string>
  takenAt: string
}

export interface MockSnapshotDeps {
  store: MockStateStore
  recordOf(workspace: Workspace): Promise<MockRecord>
  create(request: CreateRequest): Promise<CreateResult>
}

/** The ref names the snapshot, never a path: a path in state could be edited to point anywhere. */
function fileOf(store: MockStateStore, ref: JsonObject): string {
  const { workspaceId, snapshot } = ref
  if (typeof workspaceId !== 'string' || typeof snapshot !== 'string') {
    throw new NexusError('STATE_CORRUPT', `A mock snapshot reference is malformed: ${JSON.stringify(ref)}.`, {
      suggestion:
        'Delete the snapshot (`nexus workspace snapshot delete <workspace> <snapshot>`) and take it again.',
    })
  }
  return store.backendSnapshotFile(workspaceId, snapshot)
}

async function readSaved(store: MockStateStore, ref: JsonObject): Promise<SavedState> {
  const file = fileOf(store, ref)
  try {
    return JSON.parse(await readFile(file, 'utf8')) as SavedState
  } catch (error) {
    throw new NexusError(
      'BACKEND_ERROR',
      `The mock backend's part of snapshot "${String(ref.snapshot)}" is missing or unreadable (${file}).`,
      {
        suggestion: 'Delete the snapshot with `nexus workspace snapshot delete` and take a new one.',
        cause: error,
      },
    )
  }
}

/**
 * The mock's side of core snapshots: a copy of its state (the env) per snapshot, under
 * `<nexusHome>/providers/mock/backend-snapshots/<workspace id>/<snapshot>.json`. Core captures the worktree itself.
 */
export function mockSnapshots(deps: MockSnapshotDeps): ProviderSnapshots {
  const { store } = deps
  return {
    async create(workspace, request) {
      const record = await deps.recordOf(workspace)
      const saved: SavedState = {
        schemaVersion: 1,
        workspaceId: workspace.id,
        snapshot: request.name,
        env: { ...record.env },
        takenAt: new Date().toISOString(),
      }
      const text = `${JSON.stringify(saved, null, 2)}\n`
      await writeFileAtomic(store.backendSnapshotFile(workspace.id, request.name), text, 0o600)
      await store.update(record, {}, `snapshot ${request.name} taken`)
      return {
        ref: { workspaceId: workspace.id, snapshot: request.name },
        sizeBytes: Buffer.byteLength(text),
      }
    },

    async restore(workspace, ref) {
      const [record, saved] = await Promise.all([deps.recordOf(workspace), readSaved(store, ref)])
      await store.update(record, { env: saved.env }, `snapshot ${saved.snapshot} restored`)
    },

    async delete(_workspace, ref) {
      await rm(fileOf(store, ref), { force: true })
    },

    async createFrom(request, ref) {
      const saved = await readSaved(store, ref)
      const created = await deps.create(request)
      const record = await deps.recordOf(request.workspace)
      // The new workspace's own env (from config) wins over the snapshot's, as a container's env wins over its image's.
      await store.update(
        record,
        { env: { ...saved.env, ...request.spec.env } },
        `created from snapshot ${saved.snapshot}`,
      )
      return created
    },
  }
}
