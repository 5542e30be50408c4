import { Args, Flags } from '@oclif/core'
import { renderService } from '../../../../../cli/render.js'
import { SpriteCommand } from '../../../../../cli/sprite-command.js'

export default class SpriteServiceStart extends SpriteCommand {
  static override summary = 'Start a service in a sprite workspace.'
  static override description = 'Runs sprite.service.start.'
  static override examples = [
    '<%= config.bin %> workspace provider sprite service start my-feature --service web',
  ]
  static override args = { workspace: Args.string({ required: true, description: 'Workspace name.' }) }
  static override flags = {
    service: Flags.string({ char: 's', required: true, description: 'Service name.' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SpriteServiceStart)
    await this.runOperation(
      flags,
      'sprite.service.start',
      args.workspace,
      { service: flags.service },
      renderService,
    )
  }
}
