import { NexusCommand } from '../../base-command.js'
import { workspaceNameArg } from '../../flags.js'
import { renderLifecycle } from '../../render/workspace.js'

export default class WorkspaceStop extends NexusCommand {
  static override summary = 'Stop a workspace, keeping its worktree and ports.'
  static override description =
    'Its worktree, branch and port block are kept; a stopped workspace is left alone.\n\nAliases: `nexus workspace down`, `nexus ws stop`, `nexus ws down`.'
  static override hiddenAliases = ['workspace:down', 'ws:stop', 'ws:down']
  static override examples = ['<%= config.bin %> workspace stop my-feature']

  static override args = { name: workspaceNameArg }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspaceStop)
    await this.runNexus(
      flags,
      (nexus) => nexus.manager.stop(args.name),
      (result) => renderLifecycle('stop', result),
    )
  }
}
