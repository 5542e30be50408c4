import { renderTable } from '@nexus/core'

/** The parts of a snapshot the commands print; the operation returns more (see `--json`). */
export interface SnapshotView {
  workspace: string
  snapshot: string
  path: string
  files: number
  bytes: number
  createdAt: string
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

export function renderCreated(snapshot: SnapshotView): string {
  const files = `${snapshot.files} file${snapshot.files === 1 ? '' : 's'}`
  return `Snapshot "${snapshot.snapshot}" of ${snapshot.workspace}: ${files}, ${formatBytes(snapshot.bytes)}, in ${snapshot.path}`
}

export function renderList(workspace: string, snapshots: SnapshotView[]): string {
  if (snapshots.length === 0) {
    return `Workspace ${workspace} has no snapshots. Make one with \`nexus workspace provider mock snapshot create ${workspace} --name <snapshot>\`.`
  }
  return renderTable(
    ['SNAPSHOT', 'CREATED', 'FILES', 'SIZE'],
    snapshots.map((s) => [s.snapshot, s.createdAt, String(s.files), formatBytes(s.bytes)]),
  )
}
