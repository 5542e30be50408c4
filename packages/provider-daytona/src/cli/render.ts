import { renderTable, type SnapshotRecord } from '@nexus/core'

export { renderOperationResult as renderResult } from '@nexus/core'

/** The stable `--json` shape of one snapshot: the same keys in the same order every time. */
export interface SnapshotView {
  workspace: string
  snapshot: string
  backend: string
  daytonaSnapshot: string | null
  createdAt: string
  commit: string
  changedFiles: number
  sizeBytes: number
}

export function snapshotView(record: SnapshotRecord): SnapshotView {
  return {
    workspace: record.workspace.name,
    snapshot: record.name,
    backend: record.workspace.backend,
    daytonaSnapshot: typeof record.backend.snapshot === 'string' ? record.backend.snapshot : null,
    createdAt: record.createdAt,
    commit: record.worktree.head,
    changedFiles: record.worktree.changedFiles,
    sizeBytes: record.sizeBytes,
  }
}

export function renderSnapshot(view: SnapshotView): string {
  return [
    `Snapshot "${view.snapshot}" of ${view.workspace}`,
    `  daytona snapshot  ${view.daytonaSnapshot ?? '-'}`,
    `  commit            ${view.commit.slice(0, 12)} (+${view.changedFiles} changed file${view.changedFiles === 1 ? '' : 's'})`,
    `  created           ${view.createdAt}`,
    `Start a workspace from it: nexus workspace create <name> --from-snapshot ${view.workspace}/${view.snapshot}`,
  ].join('\n')
}

export function renderSnapshotList(workspace: string, views: SnapshotView[]): string {
  if (views.length === 0)
    return `Workspace ${workspace} has no snapshots. Take one with \`nexus workspace provider daytona snapshot create ${workspace} --name <name>\`.`
  return renderTable(
    ['SNAPSHOT', 'DAYTONA SNAPSHOT', 'COMMIT', 'CREATED'],
    views.map((view) => [
      view.snapshot,
      view.daytonaSnapshot ?? '-',
      view.commit.slice(0, 12),
      view.createdAt,
    ]),
  )
}
