import { Args, Flags } from '@oclif/core'
import { renderService } from '../../../../../cli/render.js'
import { SpriteCommand } from '../../../../../cli/sprite-command.js'

export default class SpriteServiceCreate extends SpriteCommand {
  static override summary = 'Run a long-lived process in a sprite workspace.'
  static override description =
    'A Sprites service: it runs in the work dir under bash -lc and is restarted when the sprite wakes from cold. With --port, the sprite URL routes to it. Runs sprite.service.create.'
  static override examples = [
    "<%= config.bin %> workspace provider sprite service create my-feature --service web --command 'npm run dev' --port 3000",
  ]
  static override args = { workspace: Args.string({ required: true, description: 'Workspace name.' }) }
  static override flags = {
    service: Flags.string({ char: 's', required: true, description: 'Service name, e.g. web.' }),
    command: Flags.string({ char: 'c', required: true, description: 'Shell command to run.' }),
    port: Flags.integer({ char: 'p', description: 'HTTP port the sprite URL routes to.' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SpriteServiceCreate)
    await this.runOperation(
      flags,
      'sprite.service.create',
      args.workspace,
      { service: flags.service, command: flags.command, port: flags.port },
      renderService,
    )
  }
}
