import { Args, Flags } from '@oclif/core'
import { renderService } from '../../../../../cli/render.js'
import { SpriteCommand } from '../../../../../cli/sprite-command.js'

export default class SpriteServiceStop extends SpriteCommand {
  static override summary = 'Stop a service in a sprite workspace.'
  static override description = 'Runs sprite.service.stop.'
  static override examples = [
    '<%= config.bin %> workspace provider sprite service stop my-feature --service web',
  ]
  static override args = { workspace: Args.string({ required: true, description: 'Workspace name.' }) }
  static override flags = {
    service: Flags.string({ char: 's', required: true, description: 'Service name.' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SpriteServiceStop)
    await this.runOperation(
      flags,
      'sprite.service.stop',
      args.workspace,
      { service: flags.service },
      renderService,
    )
  }
}
