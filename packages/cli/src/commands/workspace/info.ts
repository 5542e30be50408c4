import { NexusCommand } from '../../base-command.js'
import { workspaceNameArg } from '../../flags.js'
import { renderInfo } from '../../render/workspace.js'

export default class WorkspaceInfoCommand extends NexusCommand {
  static override summary = 'Show a workspace, with its live status.'
  static override description =
    'Asks the backend for the live status, SSH endpoint and stats, and lists the escape hatches of its backend.' +
    '\n\nAliases: `nexus workspace show`, `nexus ws info`, `nexus ws show`.'
  static override hiddenAliases = ['workspace:show', 'ws:info', 'ws:show']
  static override examples = [
    '<%= config.bin %> workspace info my-feature',
    '<%= config.bin %> workspace show my-feature --json',
  ]

  static override args = { name: workspaceNameArg }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspaceInfoCommand)
    await this.runNexus(flags, (nexus) => nexus.manager.info(args.name), renderInfo)
  }
}
