import { Args, Flags } from '@oclif/core'
import { renderCheckpoints } from '../../../../../cli/render.js'
import { SpriteCommand } from '../../../../../cli/sprite-command.js'

export default class SpriteCheckpointList extends SpriteCommand {
  static override summary = "List a sprite workspace's checkpoints."
  static override description = 'Runs sprite.checkpoint.list.'
  static override examples = [
    '<%= config.bin %> workspace provider sprite checkpoint list my-feature --include-auto',
  ]
  static override args = { workspace: Args.string({ required: true, description: 'Workspace name.' }) }
  static override flags = {
    'include-auto': Flags.boolean({
      description: 'Include the checkpoints Sprites made by itself.',
      default: false,
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SpriteCheckpointList)
    await this.runOperation(
      flags,
      'sprite.checkpoint.list',
      args.workspace,
      { 'include-auto': flags['include-auto'] },
      renderCheckpoints(args.workspace),
    )
  }
}
