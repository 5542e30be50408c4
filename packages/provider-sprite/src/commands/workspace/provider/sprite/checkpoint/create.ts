import { Args, Flags } from '@oclif/core'
import { renderCheckpoint } from '../../../../../cli/render.js'
import { SpriteCommand } from '../../../../../cli/sprite-command.js'

export default class SpriteCheckpointCreate extends SpriteCommand {
  static override summary = "Checkpoint a sprite workspace's filesystem."
  static override description =
    'Copy-on-write checkpoint of the sprite (files only: not memory or processes). Fails if Sprites reports any error while checkpointing. Runs sprite.checkpoint.create.'
  static override examples = [
    '<%= config.bin %> workspace provider sprite checkpoint create my-feature --comment "before refactor"',
  ]
  static override args = { workspace: Args.string({ required: true, description: 'Workspace name.' }) }
  static override flags = {
    comment: Flags.string({ char: 'c', description: 'A note kept with the checkpoint.' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SpriteCheckpointCreate)
    await this.runOperation(
      flags,
      'sprite.checkpoint.create',
      args.workspace,
      { comment: flags.comment },
      renderCheckpoint('Created', args.workspace),
    )
  }
}
