import { appendFile, mkdir, readFile, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { diskFullError, NexusError, writeFileAtomic } from '@nexus/core'

export const MOCK_STATUSES = ['created', 'running', 'stopped', 'paused'] as const
export type MockStatus = (typeof MOCK_STATUSES)[number]

export interface MockEvent {
  at: string
  event: string
}

export interface MockSnapshot {
  snapshot: string
  createdAt: string
  files: number
  bytes: number
}

/** What the mock backend holds for one workspace. */
export interface MockRecord {
  schemaVersion: 1
  workspaceId: string
  name: string
  worktreePath: string
  /** Where commands run when it is not the worktree: the clone made for `--from <git url>`. */
  workdir?: string
  status: MockStatus
  /** The WorkspaceSpec env; it may hold secrets, which is why the file is 0600 and this is never printed. */
  env: Record<string, string>
  createdAt: string
  updatedAt: string
  events: MockEvent[]
  snapshots: MockSnapshot[]
}

/** Enough history for `nexus workspace logs`, without letting a long-lived workspace's file grow forever. */
const MAX_EVENTS = 200
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/

/**
 * The mock backend's state: one JSON file per workspace under `<nexusHome>/providers/mock/`, so a workspace
 * survives between CLI invocations the way a container does. Writes are atomic (temp file + rename).
 */
export class MockStateStore {
  readonly root: string

  constructor(nexusHome: string) {
    this.root = join(nexusHome, 'providers', 'mock')
  }

  fileOf(workspaceId: string): string {
    return join(this.root, `${checkedId(workspaceId)}.json`)
  }

  /** Every workspace's events, one JSON line each, kept after a destroy: the backend's own audit trail. */
  get historyFile(): string {
    return join(this.root, 'history.jsonl')
  }

  clonesDir(workspaceId: string): string {
    return join(this.root, 'clones', checkedId(workspaceId))
  }

  snapshotsOf(workspaceId: string): string {
    return join(this.root, 'snapshots', checkedId(workspaceId))
  }

  /** The mock's own part of a core snapshot (see backend-snapshots.ts), apart from the `mock.snapshot.*` copies. */
  backendSnapshotFile(workspaceId: string, snapshot: string): string {
    if (!SAFE_ID.test(snapshot)) throw new Error(`unsafe snapshot name ${JSON.stringify(snapshot)}`)
    return join(this.root, 'backend-snapshots', checkedId(workspaceId), `${snapshot}.json`)
  }

  async read(workspaceId: string): Promise<MockRecord | null> {
    const file = this.fileOf(workspaceId)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
    return parseRecord(text, file)
  }

  async write(record: MockRecord): Promise<void> {
    try {
      await writeFileAtomic(this.fileOf(record.workspaceId), `${JSON.stringify(record, null, 2)}\n`, 0o600)
    } catch (error) {
      throw diskFullError(error, this.root, `the mock backend's record of "${record.name}"`) ?? error
    }
  }

  /** Applies a change and records what happened, so `logs` can tell the workspace's story. */
  async update(record: MockRecord, change: Partial<MockRecord>, event?: string): Promise<MockRecord> {
    const at = new Date().toISOString()
    const events = event ? [...record.events, { at, event }].slice(-MAX_EVENTS) : record.events
    const next: MockRecord = { ...record, ...change, events, updatedAt: at }
    await this.write(next)
    if (event) await this.recordHistory(next, event, at)
    return next
  }

  /** A single O_APPEND write of a short line lands whole even when several processes append at once. */
  async recordHistory(
    record: Pick<MockRecord, 'workspaceId' | 'name'>,
    event: string,
    at = new Date().toISOString(),
  ): Promise<void> {
    const line = JSON.stringify({
      at,
      workspaceId: record.workspaceId,
      name: record.name,
      event,
      pid: process.pid,
    })
    try {
      await mkdir(this.root, { recursive: true })
      await appendFile(this.historyFile, `${line}\n`, { flag: 'a' })
    } catch (error) {
      throw diskFullError(error, this.root, `the mock backend's history of "${record.name}"`) ?? error
    }
  }

  async remove(workspaceId: string): Promise<void> {
    await rm(this.fileOf(workspaceId), { force: true })
    await rm(this.snapshotsOf(workspaceId), { recursive: true, force: true })
    await rm(this.clonesDir(workspaceId), { recursive: true, force: true })
    await rm(join(this.root, 'backend-snapshots', checkedId(workspaceId)), { recursive: true, force: true })
  }

  async all(): Promise<MockRecord[]> {
    await mkdir(this.root, { recursive: true })
    const names = (await readdir(this.root)).filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    const records = await Promise.all(names.map((name) => this.read(name.slice(0, -'.json'.length))))
    return records.filter((record): record is MockRecord => record !== null)
  }
}

function checkedId(workspaceId: string): string {
  // The id names a file: anything that could climb out of the state directory is refused.
  if (!SAFE_ID.test(workspaceId)) {
    throw new NexusError(
      'INVALID_ARGUMENT',
      `"${workspaceId}" is not a workspace id the mock backend can store.`,
      {
        suggestion:
          'Workspace ids are UUIDs made by nexus; run `nexus workspace info <name>` to see the right one.',
      },
    )
  }
  return workspaceId
}

function parseRecord(text: string, file: string): MockRecord {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    value = undefined
  }
  const record = value as Partial<MockRecord> | undefined
  const valid =
    record !== undefined &&
    record !== null &&
    record.schemaVersion === 1 &&
    typeof record.workspaceId === 'string' &&
    typeof record.worktreePath === 'string' &&
    (MOCK_STATUSES as readonly string[]).includes(record.status as string) &&
    Array.isArray(record.events)
  if (!valid) {
    throw new NexusError('STATE_CORRUPT', `The mock backend's state file ${file} is unreadable.`, {
      suggestion: `Delete it and run \`nexus workspace repair <name>\` to recreate the workspace on the mock backend.`,
      details: { file },
    })
  }
  return { ...record, env: record.env ?? {}, snapshots: record.snapshots ?? [] } as MockRecord
}
