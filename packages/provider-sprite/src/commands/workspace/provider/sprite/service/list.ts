import { Args } from '@oclif/core'
import { renderServices } from '../../../../../cli/render.js'
import { SpriteCommand } from '../../../../../cli/sprite-command.js'

export default class SpriteServiceList extends SpriteCommand {
  static override summary = "List a sprite workspace's services."
  static override description = 'Runs sprite.service.list.'
  static override examples = ['<%= config.bin %> workspace provider sprite service list my-feature']
  static override args = { workspace: Args.string({ required: true, description: 'Workspace name.' }) }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SpriteServiceList)
    await this.runOperation(flags, 'sprite.service.list', args.workspace, {}, renderServices(args.workspace))
  }
}
