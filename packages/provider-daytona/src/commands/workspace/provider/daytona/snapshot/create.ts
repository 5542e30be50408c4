import { DaytonaCommand, requireDaytonaWorkspace } from '../../../../../cli/daytona-command.js'
import { snapshotFlag, workspaceArg } from '../../../../../cli/flags.js'
import { renderSnapshot, snapshotView } from '../../../../../cli/render.js'
import { Flags } from '@oclif/core'

export default class DaytonaSnapshotCreate extends DaytonaCommand {
  static override summary = "Snapshot a Daytona workspace: its sandbox's filesystem and its worktree."
  static override description =
    'Captures the sandbox as a Daytona snapshot and the worktree in git, recorded as a nexus snapshot: `nexus workspace create <name> --from-snapshot <workspace>/<snapshot>` starts from it.'
  static override examples = [
    '<%= config.bin %> workspace provider daytona snapshot create my-feature --name baseline',
  ]
  static override args = { workspace: workspaceArg }
  static override flags = {
    name: snapshotFlag,
    description: Flags.string({ char: 'd', description: 'What the snapshot is for.' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DaytonaSnapshotCreate)
    await this.runNexus(
      flags,
      async (nexus) => {
        await requireDaytonaWorkspace(nexus, args.workspace)
        const record = await nexus.manager.createSnapshot(args.workspace, {
          name: flags.name,
          ...(flags.description ? { description: flags.description } : {}),
        })
        return snapshotView(record)
      },
      renderSnapshot,
    )
  }
}
