import { Args, Flags } from '@oclif/core'
import { renderLogs } from '../../../../../cli/render.js'
import { SpriteCommand } from '../../../../../cli/sprite-command.js'

export default class SpriteServiceLogs extends SpriteCommand {
  static override summary = "Print a sprite service's recent output."
  static override description = 'Runs sprite.service.logs.'
  static override examples = [
    '<%= config.bin %> workspace provider sprite service logs my-feature --service web --lines 50',
  ]
  static override args = { workspace: Args.string({ required: true, description: 'Workspace name.' }) }
  static override flags = {
    service: Flags.string({ char: 's', required: true, description: 'Service name.' }),
    lines: Flags.integer({ char: 'n', description: 'How many lines.' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SpriteServiceLogs)
    await this.runOperation(
      flags,
      'sprite.service.logs',
      args.workspace,
      { service: flags.service, lines: flags.lines },
      renderLogs,
    )
  }
}
