import { DaytonaCommand, requireDaytonaWorkspace } from '../../../../../cli/daytona-command.js'
import { workspaceArg } from '../../../../../cli/flags.js'
import { renderSnapshotList, snapshotView } from '../../../../../cli/render.js'

export default class DaytonaSnapshotList extends DaytonaCommand {
  static override summary = "List a Daytona workspace's snapshots."
  static override examples = ['<%= config.bin %> workspace provider daytona snapshot list my-feature']
  static override args = { workspace: workspaceArg }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DaytonaSnapshotList)
    await this.runNexus(
      flags,
      async (nexus) => {
        const workspace = await requireDaytonaWorkspace(nexus, args.workspace)
        return {
          workspace: workspace.name,
          snapshots: (await nexus.manager.listSnapshots(args.workspace)).map(snapshotView),
        }
      },
      (result) => renderSnapshotList(result.workspace, result.snapshots),
    )
  }
}
