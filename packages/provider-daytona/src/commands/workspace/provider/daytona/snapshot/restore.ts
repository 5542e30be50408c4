import { DaytonaCommand, requireDaytonaWorkspace } from '../../../../../cli/daytona-command.js'
import { snapshotFlag, workspaceArg } from '../../../../../cli/flags.js'
import { snapshotView } from '../../../../../cli/render.js'

export default class DaytonaSnapshotRestore extends DaytonaCommand {
  static override summary = 'Recreate the sandbox of a Daytona workspace from one of its snapshots.'
  static override description =
    "The workspace keeps its name, worktree, branch and ports; its sandbox is replaced by one made from the snapshot, and the worktree goes back to the snapshot's files."
  static override examples = [
    '<%= config.bin %> workspace provider daytona snapshot restore my-feature --name baseline',
  ]
  static override args = { workspace: workspaceArg }
  static override flags = { name: snapshotFlag }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DaytonaSnapshotRestore)
    await this.runNexus(
      flags,
      async (nexus) => {
        await requireDaytonaWorkspace(nexus, args.workspace)
        const result = await nexus.manager.restoreSnapshot(args.workspace, flags.name)
        return {
          ...snapshotView(result.snapshot),
          status: result.workspace.status,
          sandboxId:
            typeof result.workspace.backendRef?.sandboxId === 'string'
              ? result.workspace.backendRef.sandboxId
              : null,
          warnings: result.warnings,
        }
      },
      (view) =>
        [
          `Restored ${view.workspace} to "${view.snapshot}" (sandbox ${view.sandboxId ?? '-'}, ${view.status}).`,
          ...view.warnings,
        ].join('\n'),
    )
  }
}
