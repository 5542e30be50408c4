import { Args, Flags } from '@oclif/core'
import { getConfigValue, loadConfig } from '@nexus/core'
import { NexusCommand } from '../../base-command.js'
import { describeOrigin, formatValue, type ConfigEntry } from '../../render/config.js'

export default class ConfigGet extends NexusCommand {
  static override summary = 'Print the value of one config key, as merged from every layer.'
  static override description =
    'Layers, lowest precedence first: built-in defaults, system file, user file, project file, flags, NEXUS_* variables.'
  static override examples = [
    '<%= config.bin %> config get defaults.backend',
    '<%= config.bin %> config get defaults.backend --show-origin',
  ]

  static override args = {
    key: Args.string({ required: true, description: 'Dotted key path, e.g. defaults.backend.' }),
  }

  static override flags = {
    'show-origin': Flags.boolean({
      description: 'Also print where the value comes from (scope and file or variable).',
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ConfigGet)
    await this.runStandalone(
      flags,
      async (): Promise<ConfigEntry> => {
        const loaded = await loadConfig({ cwd: process.cwd(), env: process.env })
        const { value, origin } = getConfigValue(loaded, args.key)
        return { key: args.key, value: value ?? null, origin: origin ?? { scope: 'default' } }
      },
      (entry) =>
        flags['show-origin']
          ? `${formatValue(entry.value)}\t(${describeOrigin(entry.origin)})`
          : formatValue(entry.value),
    )
  }
}
