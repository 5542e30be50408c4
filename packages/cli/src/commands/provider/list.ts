import { summarizeProviders } from '@nexus/core'
import { NexusCommand } from '../../base-command.js'
import { renderProviderList } from '../../render/provider.js'

export default class ProviderList extends NexusCommand {
  static override summary =
    'List the backends installed in this CLI: bundled, installed and linked provider plugins.'
  static override examples = ['<%= config.bin %> provider list', '<%= config.bin %> provider list --json']

  async run(): Promise<void> {
    const { flags } = await this.parse(ProviderList)
    await this.runNexus(flags, (nexus) => summarizeProviders(nexus), renderProviderList)
  }
}
