import { Args } from '@oclif/core'
import { DaytonaCommand } from '../../../../../cli/daytona-command.js'
import { workspaceArg } from '../../../../../cli/flags.js'

export default class DaytonaFileUpload extends DaytonaCommand {
  static override summary = 'Upload a file or a directory into the sandbox (File API, bulk).'
  static override examples = [
    '<%= config.bin %> workspace provider daytona file upload my-feature ./fixtures data/fixtures',
  ]
  static override args = {
    workspace: workspaceArg,
    local: Args.string({ required: true, description: 'Local file or directory.' }),
    remote: Args.string({
      required: true,
      description: "Destination; relative paths are under the workspace's code.",
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DaytonaFileUpload)
    await this.runOperation(flags, 'daytona.file.upload', args.workspace, {
      local: args.local,
      remote: args.remote,
    })
  }
}
