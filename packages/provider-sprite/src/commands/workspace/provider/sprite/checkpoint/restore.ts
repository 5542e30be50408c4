import { Args, Flags } from '@oclif/core'
import { renderCheckpoint } from '../../../../../cli/render.js'
import { SpriteCommand } from '../../../../../cli/sprite-command.js'

export default class SpriteCheckpointRestore extends SpriteCommand {
  static override summary = 'Restore a sprite workspace to a checkpoint.'
  static override description =
    "Restoring restarts the sprite's VM: running commands, shells and services are interrupted. Fails (non-zero exit) if Sprites reports any error while restoring. Runs sprite.checkpoint.restore."
  static override examples = [
    '<%= config.bin %> workspace provider sprite checkpoint restore my-feature --id v3',
  ]
  static override args = { workspace: Args.string({ required: true, description: 'Workspace name.' }) }
  static override flags = { id: Flags.string({ required: true, description: 'Checkpoint id, e.g. v3.' }) }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SpriteCheckpointRestore)
    await this.runOperation(
      flags,
      'sprite.checkpoint.restore',
      args.workspace,
      { id: flags.id },
      renderCheckpoint('Restored', args.workspace),
    )
  }
}
