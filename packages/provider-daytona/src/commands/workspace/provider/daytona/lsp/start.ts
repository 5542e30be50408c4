import { DaytonaCommand } from '../../../../../cli/daytona-command.js'
import { languageFlag, pathFlag, workspaceArg } from '../../../../../cli/flags.js'

export default class DaytonaLspStart extends DaytonaCommand {
  static override summary = 'Start a language server in the sandbox.'
  static override examples = [
    '<%= config.bin %> workspace provider daytona lsp start my-feature --language typescript',
  ]
  static override args = { workspace: workspaceArg }
  static override flags = { language: languageFlag, path: pathFlag }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DaytonaLspStart)
    await this.runOperation(flags, 'daytona.lsp.start', args.workspace, {
      language: flags.language,
      path: flags.path,
    })
  }
}
