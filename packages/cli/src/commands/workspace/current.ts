import { currentWorkspace } from '@nexus/core'
import { NexusCommand } from '../../base-command.js'

export default class WorkspaceCurrent extends NexusCommand {
  static override summary = 'Print the name of the current workspace.'
  static override description =
    'The workspace last chosen with `nexus workspace switch` in this repository. Prints nothing (and exits 0) when ' +
    'there is none, outside a repository too, so it can sit in a shell prompt.\n\nAliases: `nexus ws current`.'
  static override hiddenAliases = ['ws:current']
  static override examples = ['<%= config.bin %> workspace current', '<%= config.bin %> ws current --json']

  async run(): Promise<void> {
    const { flags } = await this.parse(WorkspaceCurrent)
    await this.runNexus(
      flags,
      async (nexus) => {
        const repoRoot = await nexus.manager.currentRepo()
        const workspace = repoRoot ? await currentWorkspace(nexus.state, repoRoot) : null
        return { name: workspace?.name ?? null }
      },
      (current) => current.name ?? undefined,
    )
  }
}
