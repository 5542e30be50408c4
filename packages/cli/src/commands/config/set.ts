import { Args } from '@oclif/core'
import { resolveLocations, setConfigValue, type WritableConfigScope } from '@nexus/core'
import { NexusCommand } from '../../base-command.js'
import { scopeFlag } from '../../flags.js'

export default class ConfigSet extends NexusCommand {
  static override summary = 'Set one config key in one config file (user by default).'
  static override description =
    'The value is read as YAML (true, 3, [a, b]); anything else is a string. The file is validated before it is ' +
    'written, so an invalid value changes nothing. Works even when another config file is malformed.'
  static override examples = [
    '<%= config.bin %> config set defaults.backend docker',
    '<%= config.bin %> config set defaults.resources medium --scope project',
  ]

  static override args = {
    key: Args.string({ required: true, description: 'Dotted key path, e.g. defaults.backend.' }),
    value: Args.string({ required: true, description: 'The value (YAML).' }),
  }

  static override flags = { scope: scopeFlag }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ConfigSet)
    const scope = flags.scope as WritableConfigScope
    await this.runStandalone(
      flags,
      async () => {
        const locations = await resolveLocations(process.cwd(), process.env)
        const { file } = await setConfigValue(locations, scope, args.key, args.value)
        return { key: args.key, value: args.value, scope, file }
      },
      (result) => `Set ${result.key} = ${result.value} in the ${result.scope} config (${result.file}).`,
    )
  }
}
