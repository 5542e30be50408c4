import { NexusCommand } from '../../../base-command.js'
import { snapshotNameArg, workspaceNameArg } from '../../../flags.js'
import { renderSnapshotDeleted } from '../../../render/snapshots.js'

export default class WorkspaceSnapshotDelete extends NexusCommand {
  static override summary = 'Delete a snapshot of a workspace.'
  static override description =
    'Removes the git ref that keeps its files and what the backend keeps for it (on Docker: its image and volume ' +
    'copies). The workspace itself is not touched.\n\nAliases: `nexus workspace snapshot rm`, `nexus ws snapshot delete`, `nexus ws snapshot rm`.'
  static override hiddenAliases = ['workspace:snapshot:rm', 'ws:snapshot:delete', 'ws:snapshot:rm']
  static override examples = ['<%= config.bin %> workspace snapshot delete my-feature before-refactor']

  static override args = { name: workspaceNameArg, snapshot: snapshotNameArg }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspaceSnapshotDelete)
    await this.runNexus(
      flags,
      (nexus) => nexus.manager.deleteSnapshot(args.name, args.snapshot),
      renderSnapshotDeleted,
    )
  }
}
