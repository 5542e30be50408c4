import { NexusCommand } from '../../base-command.js'
import { workspaceNameArg } from '../../flags.js'
import { renderLifecycle } from '../../render/workspace.js'

export default class WorkspacePause extends NexusCommand {
  static override summary = 'Pause a running workspace.'
  static override description =
    'Freezes its processes, on backends that can (capability pause).\n\nAliases: `nexus ws pause`.'
  static override hiddenAliases = ['ws:pause']
  static override examples = ['<%= config.bin %> workspace pause my-feature']

  static override args = { name: workspaceNameArg }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspacePause)
    await this.runNexus(
      flags,
      (nexus) => nexus.manager.pause(args.name),
      (result) => renderLifecycle('pause', result),
    )
  }
}
