import { Args } from '@oclif/core'
import { MockCommand } from '../../../../../cli/mock-command.js'
import { renderList, type SnapshotView } from '../../../../../cli/render.js'

export default class MockSnapshotList extends MockCommand {
  static override summary = "List a mock workspace's snapshots."
  static override examples = ['<%= config.bin %> workspace provider mock snapshot list feature-x']
  static override args = { workspace: Args.string({ required: true, description: 'Workspace name.' }) }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(MockSnapshotList)
    await this.runNexus(
      flags,
      (nexus) =>
        nexus.manager.runOperation({
          backend: 'mock',
          id: 'mock.snapshot.list',
          params: {},
          workspace: args.workspace,
        }),
      (result) => renderList(args.workspace, result as unknown as SnapshotView[]),
    )
  }
}
