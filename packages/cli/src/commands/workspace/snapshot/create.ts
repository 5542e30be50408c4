import { Flags } from '@oclif/core'
import { NexusCommand } from '../../../base-command.js'
import { snapshotNameArg, workspaceNameArg } from '../../../flags.js'
import { renderSnapshotCreated } from '../../../render/snapshots.js'

export default class WorkspaceSnapshotCreate extends NexusCommand {
  static override summary = 'Snapshot a workspace: its worktree and what its backend holds.'
  static override description =
    'Captures the branch commit, every uncommitted file (tracked or untracked, not ignored) and the staging area, in ' +
    "git objects under refs/nexus/snapshots/; and the backend state beyond the worktree (on Docker: the container's " +
    'root filesystem and the named volumes). Ignored files are not captured.\n\nAliases: `nexus ws snapshot create`.'
  static override hiddenAliases = ['ws:snapshot:create']
  static override examples = [
    '<%= config.bin %> workspace snapshot create my-feature before-refactor',
    '<%= config.bin %> workspace snapshot create my-feature green -d "all tests pass"',
  ]

  static override args = { name: workspaceNameArg, snapshot: snapshotNameArg }

  static override flags = {
    description: Flags.string({
      char: 'd',
      description: 'What the snapshot is of, shown by `snapshot list`.',
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspaceSnapshotCreate)
    await this.runNexus(
      flags,
      (nexus) =>
        nexus.manager.createSnapshot(args.name, {
          name: args.snapshot,
          ...(flags.description !== undefined ? { description: flags.description } : {}),
        }),
      renderSnapshotCreated,
    )
  }
}
