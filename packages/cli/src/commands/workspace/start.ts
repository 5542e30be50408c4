import { NexusCommand } from '../../base-command.js'
import { workspaceNameArg } from '../../flags.js'
import { renderLifecycle } from '../../render/workspace.js'

export default class WorkspaceStart extends NexusCommand {
  static override summary = 'Start a workspace.'
  static override description =
    'A workspace that is already running is left alone.\n\nAliases: `nexus workspace up`, `nexus ws start`, `nexus ws up`.'
  static override hiddenAliases = ['workspace:up', 'ws:start', 'ws:up']
  static override examples = ['<%= config.bin %> workspace start my-feature']

  static override args = { name: workspaceNameArg }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspaceStart)
    await this.runNexus(
      flags,
      (nexus) => nexus.manager.start(args.name),
      (result) => renderLifecycle('start', result),
    )
  }
}
