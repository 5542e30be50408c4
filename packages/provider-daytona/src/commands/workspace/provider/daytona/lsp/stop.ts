import { DaytonaCommand } from '../../../../../cli/daytona-command.js'
import { languageFlag, pathFlag, workspaceArg } from '../../../../../cli/flags.js'

export default class DaytonaLspStop extends DaytonaCommand {
  static override summary = 'Stop a language server in the sandbox.'
  static override args = { workspace: workspaceArg }
  static override flags = { language: languageFlag, path: pathFlag }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DaytonaLspStop)
    await this.runOperation(flags, 'daytona.lsp.stop', args.workspace, {
      language: flags.language,
      path: flags.path,
    })
  }
}
