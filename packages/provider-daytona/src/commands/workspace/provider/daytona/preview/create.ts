import { Flags } from '@oclif/core'
import type { JsonObject } from '@nexus/core'
import { DaytonaCommand } from '../../../../../cli/daytona-command.js'
import { portFlag, workspaceArg } from '../../../../../cli/flags.js'

export default class DaytonaPreviewCreate extends DaytonaCommand {
  static override summary = 'Print a preview URL for a port of the sandbox (and its token when private).'
  static override examples = [
    '<%= config.bin %> workspace provider daytona preview create my-feature --port 3000',
    '<%= config.bin %> workspace provider daytona preview create my-feature --port 3000 --public --expires 600',
  ]
  static override args = { workspace: workspaceArg }
  static override flags = {
    port: portFlag,
    public: Flags.boolean({
      description: 'A signed URL anyone can open, without the token header.',
      default: false,
    }),
    expires: Flags.integer({ description: 'Seconds a --public URL stays valid.', default: 3600, min: 1 }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DaytonaPreviewCreate)
    await this.runOperation(
      flags,
      'daytona.preview.create',
      args.workspace,
      { port: flags.port, public: flags.public, expires: flags.expires },
      (result) => {
        const preview = result as JsonObject
        const lines = [String(preview.url)]
        if (typeof preview.token === 'string')
          lines.push(`token: ${preview.token} (send it as the ${String(preview.header)} header)`)
        if (typeof preview.expiresAt === 'string') lines.push(`expires: ${preview.expiresAt}`)
        return lines.join('\n')
      },
    )
  }
}
