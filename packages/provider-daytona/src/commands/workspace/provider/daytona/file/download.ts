import { Args } from '@oclif/core'
import { DaytonaCommand } from '../../../../../cli/daytona-command.js'
import { workspaceArg } from '../../../../../cli/flags.js'

export default class DaytonaFileDownload extends DaytonaCommand {
  static override summary = 'Download a file or a directory from the sandbox (File API, bulk).'
  static override examples = [
    '<%= config.bin %> workspace provider daytona file download my-feature coverage ./coverage',
  ]
  static override args = {
    workspace: workspaceArg,
    remote: Args.string({
      required: true,
      description: "File or directory; relative paths are under the workspace's code.",
    }),
    local: Args.string({ required: true, description: 'Local destination.' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DaytonaFileDownload)
    await this.runOperation(flags, 'daytona.file.download', args.workspace, {
      remote: args.remote,
      local: args.local,
    })
  }
}
