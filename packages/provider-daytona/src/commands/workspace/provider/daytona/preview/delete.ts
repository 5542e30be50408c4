import { DaytonaCommand } from '../../../../../cli/daytona-command.js'
import { portFlag, workspaceArg } from '../../../../../cli/flags.js'

export default class DaytonaPreviewDelete extends DaytonaCommand {
  static override summary = 'Forget the preview URL of a port, expiring it when it is a --public one.'
  static override args = { workspace: workspaceArg }
  static override flags = { port: portFlag }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DaytonaPreviewDelete)
    await this.runOperation(flags, 'daytona.preview.delete', args.workspace, { port: flags.port })
  }
}
