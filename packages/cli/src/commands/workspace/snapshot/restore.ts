import { NexusCommand } from '../../../base-command.js'
import { snapshotNameArg, workspaceNameArg } from '../../../flags.js'
import { renderSnapshotRestored } from '../../../render/snapshots.js'

export default class WorkspaceSnapshotRestore extends NexusCommand {
  static override summary = 'Put a workspace back to a snapshot.'
  static override description =
    "Stops the workspace, puts the branch back on the snapshot's commit and the files and staging area back as " +
    'they were (uncommitted changes made since are discarded; ignored files are left alone), restores the backend ' +
    'state, and starts the workspace again if it was running. Commits made since the snapshot leave the branch; ' +
    '`git reflog` still has them.\n\nAliases: `nexus ws snapshot restore`.'
  static override hiddenAliases = ['ws:snapshot:restore']
  static override examples = ['<%= config.bin %> workspace snapshot restore my-feature before-refactor']

  static override args = { name: workspaceNameArg, snapshot: snapshotNameArg }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspaceSnapshotRestore)
    await this.runNexus(
      flags,
      (nexus) => nexus.manager.restoreSnapshot(args.name, args.snapshot),
      renderSnapshotRestored,
    )
  }
}
