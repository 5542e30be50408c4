import { Args, Flags } from '@oclif/core'
import { renderUrl } from '../../../../cli/render.js'
import { SpriteCommand } from '../../../../cli/sprite-command.js'

export default class SpriteUrl extends SpriteCommand {
  static override summary = "Show a sprite workspace's URL, or change who may open it."
  static override description =
    'The URL routes to port 8080 in the sprite (or the service created with --port). --auth sprite (the default) admits your Sprites organisation; --auth public admits anyone. Runs sprite.url.'
  static override examples = [
    '<%= config.bin %> workspace provider sprite url my-feature',
    '<%= config.bin %> workspace provider sprite url my-feature --auth public',
  ]
  static override args = { workspace: Args.string({ required: true, description: 'Workspace name.' }) }
  static override flags = {
    auth: Flags.string({ options: ['public', 'sprite'], description: 'Who may open the URL.' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SpriteUrl)
    await this.runOperation(flags, 'sprite.url', args.workspace, { auth: flags.auth }, renderUrl)
  }
}
