import { DaytonaCommand, requireDaytonaWorkspace } from '../../../../../cli/daytona-command.js'
import { snapshotFlag, workspaceArg } from '../../../../../cli/flags.js'
import { snapshotView } from '../../../../../cli/render.js'

export default class DaytonaSnapshotDelete extends DaytonaCommand {
  static override summary =
    'Delete a snapshot of a Daytona workspace (the Daytona snapshot and the nexus record).'
  static override examples = [
    '<%= config.bin %> workspace provider daytona snapshot delete my-feature --name baseline',
  ]
  static override args = { workspace: workspaceArg }
  static override flags = { name: snapshotFlag }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DaytonaSnapshotDelete)
    await this.runNexus(
      flags,
      async (nexus) => {
        await requireDaytonaWorkspace(nexus, args.workspace)
        return {
          ...snapshotView(await nexus.manager.deleteSnapshot(args.workspace, flags.name)),
          deleted: true,
        }
      },
      (view) =>
        `Deleted snapshot "${view.snapshot}" of ${view.workspace} (Daytona snapshot ${view.daytonaSnapshot ?? '-'}).`,
    )
  }
}
