import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { NexusError } from '../errors/index.js'
import { writeFileAtomic } from '../util/atomic-file.js'
import type { JsonObject } from '../workspace/index.js'
import type { WorktreeSnapshot } from './worktree-snapshot.js'

/** One snapshot of one workspace, as `snapshot list` shows it and `restore` needs it. */
export interface SnapshotRecord {
  name: string
  description: string | null
  createdAt: string
  /**
   * What the snapshot holds beyond the commit it is based on: the changed worktree files plus the backend's part
   * (its root filesystem changes, volumes, …) when the backend can tell.
   */
  sizeBytes: number
  workspace: { id: string; name: string; backend: string }
  worktree: WorktreeSnapshot
  /** The backend's handle on its part, as `snapshots.create` returned it. */
  backend: JsonObject
  backendSizeBytes: number | null
}

interface SnapshotFile {
  schemaVersion: 1
  workspaceId: string
  snapshots: SnapshotRecord[]
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/

/**
 * Snapshot records: `$NEXUS_HOME/state/snapshots/<workspace id>.json`, one document per workspace, written
 * atomically. Callers change it while holding the workspace's lock, so read-modify-write does not race.
 */
export class SnapshotStore {
  readonly dir: string

  constructor(nexusHome: string) {
    this.dir = join(nexusHome, 'state', 'snapshots')
  }

  fileOf(workspaceId: string): string {
    if (!SAFE_ID.test(workspaceId)) throw new Error(`unsafe workspace id ${JSON.stringify(workspaceId)}`)
    return join(this.dir, `${workspaceId}.json`)
  }

  /** Oldest first. */
  async list(workspaceId: string): Promise<SnapshotRecord[]> {
    const file = this.fileOf(workspaceId)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
    let parsed: Partial<SnapshotFile> | undefined
    try {
      parsed = JSON.parse(text) as Partial<SnapshotFile>
    } catch {
      parsed = undefined
    }
    if (parsed?.schemaVersion !== 1 || !Array.isArray(parsed.snapshots)) {
      throw new NexusError('STATE_CORRUPT', `The snapshot records in ${file} are unreadable.`, {
        suggestion:
          'Move the file aside to start over (the snapshots in it are then forgotten), or restore it from a backup.',
        details: { file },
      })
    }
    return [...parsed.snapshots].sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  }

  async find(workspaceId: string, name: string): Promise<SnapshotRecord | undefined> {
    return (await this.list(workspaceId)).find((snapshot) => snapshot.name === name)
  }

  async add(workspaceId: string, record: SnapshotRecord): Promise<void> {
    const others = (await this.list(workspaceId)).filter((snapshot) => snapshot.name !== record.name)
    await this.save(workspaceId, [...others, record])
  }

  async remove(workspaceId: string, name: string): Promise<void> {
    const rest = (await this.list(workspaceId)).filter((snapshot) => snapshot.name !== name)
    if (rest.length === 0) await rm(this.fileOf(workspaceId), { force: true })
    else await this.save(workspaceId, rest)
  }

  private async save(workspaceId: string, snapshots: SnapshotRecord[]): Promise<void> {
    const document: SnapshotFile = { schemaVersion: 1, workspaceId, snapshots }
    await writeFileAtomic(this.fileOf(workspaceId), `${JSON.stringify(document, null, 2)}\n`, 0o600)
  }
}
