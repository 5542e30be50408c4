import { Args } from '@oclif/core'
import { NexusCommand } from '../../base-command.js'
import { providerDetails } from '../../provider-details.js'
import { renderProviderInfo } from '../../render/provider.js'

export default class ProviderInfo extends NexusCommand {
  static override summary =
    "Show a backend's capabilities and its escape hatches (operations), with the command for each."
  static override examples = [
    '<%= config.bin %> provider info docker',
    '<%= config.bin %> provider info mock --json',
  ]

  static override args = {
    name: Args.string({ required: true, description: 'Backend name (see `nexus provider list`).' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ProviderInfo)
    await this.runNexus(flags, (nexus) => providerDetails(nexus, args.name), renderProviderInfo)
  }
}
