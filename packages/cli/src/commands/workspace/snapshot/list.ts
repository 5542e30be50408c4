import { NexusCommand } from '../../../base-command.js'
import { workspaceNameArg } from '../../../flags.js'
import { renderSnapshotList } from '../../../render/snapshots.js'

export default class WorkspaceSnapshotList extends NexusCommand {
  static override summary = "List a workspace's snapshots."
  static override description =
    'Oldest first, with the size each holds beyond its commit (changed files plus the backend part) and when it ' +
    'was taken. Reads nexus state only.\n\nAliases: `nexus workspace snapshot ls`, `nexus ws snapshot list`, `nexus ws snapshot ls`.'
  static override hiddenAliases = ['workspace:snapshot:ls', 'ws:snapshot:list', 'ws:snapshot:ls']
  static override examples = ['<%= config.bin %> workspace snapshot list my-feature']

  static override args = { name: workspaceNameArg }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspaceSnapshotList)
    await this.runNexus(
      flags,
      (nexus) => nexus.manager.listSnapshots(args.name),
      (snapshots) => renderSnapshotList(args.name, snapshots),
    )
  }
}
