import { cp, lstat, readdir, rename, rm, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { NexusError } from '@nexus/core'
import type { MockRecord, MockSnapshot, MockStateStore } from './state.js'

const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

export interface SnapshotInfo extends MockSnapshot {
  workspace: string
  path: string
}

/**
 * Copies the worktree's files, without git's metadata (the branch already holds the history), to
 * `<nexusHome>/providers/mock/snapshots/<workspace id>/<snapshot>`. The copy is made beside the target and renamed
 * into place, so a snapshot is either complete or absent.
 */
export async function createSnapshot(
  store: MockStateStore,
  record: MockRecord,
  snapshot: string,
): Promise<SnapshotInfo> {
  if (!SNAPSHOT_NAME.test(snapshot)) {
    throw new NexusError('INVALID_ARGUMENT', `"${snapshot}" is not a valid snapshot name.`, {
      suggestion:
        'Use up to 64 letters, digits, dots, dashes and underscores, starting with a letter or digit.',
    })
  }
  if (record.snapshots.some((existing) => existing.snapshot === snapshot)) {
    throw new NexusError(
      'INVALID_ARGUMENT',
      `Workspace "${record.name}" already has a snapshot named "${snapshot}".`,
      {
        suggestion: `Choose another name; \`nexus workspace provider mock snapshot list ${record.name}\` shows the taken ones.`,
      },
    )
  }
  const worktree = await stat(record.worktreePath).catch(() => null)
  if (!worktree?.isDirectory()) {
    throw new NexusError(
      'BACKEND_ERROR',
      `The worktree of "${record.name}" is gone (${record.worktreePath}).`,
      {
        suggestion: `Run \`nexus workspace repair ${record.name}\` to restore it, then snapshot again.`,
      },
    )
  }
  const target = join(store.snapshotsOf(record.workspaceId), snapshot)
  const partial = `${target}.partial`
  await rm(partial, { recursive: true, force: true })
  await cp(record.worktreePath, partial, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => !relative(record.worktreePath, source).split(sep).includes('.git'),
  })
  const { files, bytes } = await measure(partial)
  await rename(partial, target)
  const entry: MockSnapshot = { snapshot, createdAt: new Date().toISOString(), files, bytes }
  await store.update(record, { snapshots: [...record.snapshots, entry] }, `snapshot ${snapshot} created`)
  return { workspace: record.name, path: target, ...entry }
}

/** The workspace's snapshots that are still on disk (one deleted by hand is not reported). */
export async function listSnapshots(store: MockStateStore, record: MockRecord): Promise<SnapshotInfo[]> {
  const listed = await Promise.all(
    record.snapshots.map(async (entry) => {
      const path = join(store.snapshotsOf(record.workspaceId), entry.snapshot)
      const present = await stat(path).then(
        (info) => info.isDirectory(),
        () => false,
      )
      return present ? { workspace: record.name, path, ...entry } : null
    }),
  )
  return listed.filter((entry): entry is SnapshotInfo => entry !== null)
}

async function measure(dir: string): Promise<{ files: number; bytes: number }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  let files = 0
  let bytes = 0
  for (const entry of entries) {
    if (!entry.isFile()) continue
    files += 1
    bytes += (await lstat(join(entry.parentPath, entry.name))).size
  }
  return { files, bytes }
}
