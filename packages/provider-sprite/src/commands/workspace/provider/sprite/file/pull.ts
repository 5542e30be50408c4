import { Args, Flags } from '@oclif/core'
import { renderTransfer } from '../../../../../cli/render.js'
import { SpriteCommand } from '../../../../../cli/sprite-command.js'

export default class SpriteFilePull extends SpriteCommand {
  static override summary = 'Copy a file out of a sprite workspace.'
  static override description = 'Through the Sprites filesystem API. Runs sprite.file.pull.'
  static override examples = [
    '<%= config.bin %> workspace provider sprite file pull my-feature notes.txt ./notes.txt',
  ]
  static override args = {
    workspace: Args.string({ required: true, description: 'Workspace name.' }),
    remote: Args.string({ description: 'Path in the sprite, relative to the work dir.' }),
    local: Args.string({ description: 'Local file to write.' }),
  }

  // The operation's own parameter names work too: they are what `nexus provider info sprite` prints.
  static override flags = {
    local: Flags.string({ description: 'Local file (instead of the argument).' }),
    remote: Flags.string({ description: 'Path in the sprite (instead of the argument).' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SpriteFilePull)
    await this.runOperation(
      flags,
      'sprite.file.pull',
      args.workspace,
      { local: args.local ?? flags.local, remote: args.remote ?? flags.remote },
      renderTransfer,
    )
  }
}
