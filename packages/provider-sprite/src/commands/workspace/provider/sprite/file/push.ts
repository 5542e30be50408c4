import { Args, Flags } from '@oclif/core'
import { renderTransfer } from '../../../../../cli/render.js'
import { SpriteCommand } from '../../../../../cli/sprite-command.js'

export default class SpriteFilePush extends SpriteCommand {
  static override summary = 'Copy a local file into a sprite workspace (at most 16 MiB).'
  static override description = 'Through the Sprites filesystem API. Runs sprite.file.push.'
  static override examples = [
    '<%= config.bin %> workspace provider sprite file push my-feature ./notes.txt notes.txt',
  ]
  static override args = {
    workspace: Args.string({ required: true, description: 'Workspace name.' }),
    local: Args.string({ description: 'Local file.' }),
    remote: Args.string({ description: 'Path in the sprite, relative to the work dir.' }),
  }

  // The operation's own parameter names work too: they are what `nexus provider info sprite` prints.
  static override flags = {
    local: Flags.string({ description: 'Local file (instead of the argument).' }),
    remote: Flags.string({ description: 'Path in the sprite (instead of the argument).' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SpriteFilePush)
    await this.runOperation(
      flags,
      'sprite.file.push',
      args.workspace,
      { local: args.local ?? flags.local, remote: args.remote ?? flags.remote },
      renderTransfer,
    )
  }
}
