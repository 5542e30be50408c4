import { Args, Flags } from '@oclif/core'
import { MockCommand } from '../../../../../cli/mock-command.js'
import { renderCreated, type SnapshotView } from '../../../../../cli/render.js'

export default class MockSnapshotCreate extends MockCommand {
  static override summary = "Snapshot a mock workspace's files."
  static override description =
    "Copies the worktree's files (without .git) to $NEXUS_HOME/providers/mock/snapshots/<workspace id>/<name>. Runs the mock.snapshot.create operation."
  static override examples = [
    '<%= config.bin %> workspace provider mock snapshot create feature-x --name before-refactor',
  ]
  static override args = { workspace: Args.string({ required: true, description: 'Workspace name.' }) }
  static override flags = {
    // --snapshot is the operation's param name, the form `nexus provider info mock` prints.
    name: Flags.string({
      char: 'n',
      aliases: ['snapshot'],
      required: true,
      description: 'Snapshot name (letters, digits, ., _, -).',
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(MockSnapshotCreate)
    await this.runNexus(
      flags,
      (nexus) =>
        nexus.manager.runOperation({
          backend: 'mock',
          id: 'mock.snapshot.create',
          params: { snapshot: flags.name },
          workspace: args.workspace,
        }),
      (result) => renderCreated(result as unknown as SnapshotView),
    )
  }
}
