import { renderTable, type JsonObject } from '@nexus/core'
import { DaytonaCommand } from '../../../../../cli/daytona-command.js'
import { workspaceArg } from '../../../../../cli/flags.js'

export default class DaytonaPreviewList extends DaytonaCommand {
  static override summary = 'List the preview URLs made for a Daytona workspace.'
  static override args = { workspace: workspaceArg }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DaytonaPreviewList)
    await this.runOperation(flags, 'daytona.preview.list', args.workspace, {}, (result) => {
      const previews = ((result as JsonObject).previews ?? []) as JsonObject[]
      if (previews.length === 0) return `No preview URLs for ${args.workspace}.`
      return renderTable(
        ['PORT', 'KIND', 'URL', 'EXPIRES'],
        previews.map((p) => [
          String(p.port),
          String(p.kind),
          String(p.url),
          p.expiresAt === null ? '-' : String(p.expiresAt),
        ]),
      )
    })
  }
}
