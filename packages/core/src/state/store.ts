import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../util/atomic-file.js'
import { isWorkspaceStatus, type Workspace } from '../workspace/index.js'
import { diskFullError } from './disk-full.js'
import { appendEvent, type StateEvent } from './events.js'
import { withLock, type LockOptions } from './lock.js'
import { statePaths } from './paths.js'

export const STATE_SCHEMA_VERSION = 1

export interface UnreadableState {
  file: string
  reason: string
}

/**
 * Workspace state: one JSON document per workspace under `$NEXUS_HOME/state/workspaces/<id>.json`, each written
 * atomically, plus an append-only event log. Files, not a database, so that a crash at any point leaves either the
 * old or the new document and `repair` has something whole to start from.
 */
export class StateStore {
  readonly paths: ReturnType<typeof statePaths>
  /** Documents that could not be read by the last `list()`; reported by `doctor`, never silently dropped. */
  unreadable: UnreadableState[] = []

  constructor(readonly nexusHome: string) {
    this.paths = statePaths(nexusHome)
  }

  private file(id: string): string {
    return join(this.paths.workspaces, `${id}.json`)
  }

  async list(): Promise<Workspace[]> {
    let names: string[]
    try {
      names = await readdir(this.paths.workspaces)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
    this.unreadable = []
    const documents = await Promise.all(
      names
        .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
        .map((n) => this.readFile(join(this.paths.workspaces, n))),
    )
    return documents
      .filter((w): w is Workspace => w !== undefined)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  }

  async get(id: string): Promise<Workspace | undefined> {
    return this.readFile(this.file(id))
  }

  async findByName(repoRoot: string, name: string): Promise<Workspace | undefined> {
    return (await this.list()).find((w) => w.repoRoot === repoRoot && w.name === name)
  }

  /**
   * Saves a workspace's document. The write goes to a temp file renamed over the old one, so when the disk fills
   * up mid-write the old document is still whole; the failure becomes RESOURCE_EXHAUSTED saying so.
   */
  async write(workspace: Workspace): Promise<void> {
    try {
      await mkdir(this.paths.workspaces, { recursive: true })
      await writeFileAtomic(this.file(workspace.id), `${JSON.stringify(workspace, null, 2)}\n`, 0o600)
    } catch (error) {
      throw diskFullError(error, this.paths.root, `the state of workspace "${workspace.name}"`) ?? error
    }
  }

  async remove(id: string): Promise<void> {
    await rm(this.file(id), { force: true })
  }

  appendEvent(event: StateEvent): Promise<void> {
    return appendEvent(this.paths.events, event)
  }

  withLock<T>(key: string, fn: () => Promise<T>, options?: LockOptions): Promise<T> {
    return withLock(this.paths.locks, key, fn, options)
  }

  private async readFile(file: string): Promise<Workspace | undefined> {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
    try {
      const parsed = JSON.parse(text) as Partial<Workspace>
      if (
        parsed.schemaVersion !== STATE_SCHEMA_VERSION ||
        typeof parsed.id !== 'string' ||
        !isWorkspaceStatus(parsed.status)
      ) {
        throw new Error(`unsupported schema (schemaVersion ${String(parsed.schemaVersion)})`)
      }
      return parsed as Workspace
    } catch (error) {
      this.unreadable.push({ file, reason: (error as Error).message })
      return undefined
    }
  }
}
