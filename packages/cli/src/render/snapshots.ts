import type { SnapshotRecord, SnapshotRestoreResult } from '@nexus/core'
import { formatBytes } from './bytes.js'
import { renderTable } from './table.js'

/** `2026-05-01 14:03`: local time, to the minute, which is what telling snapshots apart needs. */
function formatTime(iso: string): string {
  const date = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`
}

export function renderSnapshotCreated(snapshot: SnapshotRecord): string {
  const { worktree } = snapshot
  const files = `${worktree.changedFiles} file${worktree.changedFiles === 1 ? '' : 's'} beyond commit ${worktree.head.slice(0, 8)}`
  return [
    `Took snapshot ${snapshot.name} of workspace ${snapshot.workspace.name} (${formatBytes(snapshot.sizeBytes)}: ${files}).`,
    `Restore it with \`nexus workspace snapshot restore ${snapshot.workspace.name} ${snapshot.name}\`, or start a new workspace from it with \`nexus workspace create <name> --from-snapshot ${snapshot.workspace.name}/${snapshot.name}\`.`,
  ].join('\n')
}

export function renderSnapshotList(workspace: string, snapshots: readonly SnapshotRecord[]): string {
  if (snapshots.length === 0) {
    return `Workspace ${workspace} has no snapshots. Take one with \`nexus workspace snapshot create ${workspace} <name>\`.`
  }
  return renderTable(
    ['NAME', 'SIZE', 'CREATED', 'DESCRIPTION'],
    snapshots.map((snapshot) => [
      snapshot.name,
      formatBytes(snapshot.sizeBytes),
      formatTime(snapshot.createdAt),
      snapshot.description ?? '',
    ]),
  )
}

export function renderSnapshotRestored(result: SnapshotRestoreResult): string {
  const { workspace, snapshot } = result
  return [
    `Restored workspace ${workspace.name} to snapshot ${snapshot.name} (${workspace.status}); branch ${workspace.branch} is at ${snapshot.worktree.head.slice(0, 8)}.`,
    ...result.warnings.map((warning) => `Warning: ${warning}`),
  ].join('\n')
}

export function renderSnapshotDeleted(snapshot: SnapshotRecord): string {
  return `Deleted snapshot ${snapshot.name} of workspace ${snapshot.workspace.name}.`
}
