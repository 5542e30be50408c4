import { NexusCommand } from '../../base-command.js'
import { workspaceNameArg } from '../../flags.js'
import { renderLifecycle } from '../../render/workspace.js'

export default class WorkspaceResume extends NexusCommand {
  static override summary = 'Resume a paused workspace.'
  static override description = 'Aliases: `nexus ws resume`.'
  static override hiddenAliases = ['ws:resume']
  static override examples = ['<%= config.bin %> workspace resume my-feature']

  static override args = { name: workspaceNameArg }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspaceResume)
    await this.runNexus(
      flags,
      (nexus) => nexus.manager.resume(args.name),
      (result) => renderLifecycle('resume', result),
    )
  }
}
