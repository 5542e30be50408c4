import { Args } from '@oclif/core'
import { resolveLocations, unsetConfigValue, type WritableConfigScope } from '@nexus/core'
import { NexusCommand } from '../../base-command.js'
import { scopeFlag } from '../../flags.js'

export default class ConfigUnset extends NexusCommand {
  static override summary = 'Remove one config key from one config file (user by default).'
  static override description =
    'A key the file does not set is not an error. Works even when another config file is malformed.'
  static override examples = [
    '<%= config.bin %> config unset defaults.backend',
    '<%= config.bin %> config unset ports.web --scope project',
  ]

  static override args = {
    key: Args.string({ required: true, description: 'Dotted key path, e.g. defaults.backend.' }),
  }

  static override flags = { scope: scopeFlag }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ConfigUnset)
    const scope = flags.scope as WritableConfigScope
    await this.runStandalone(
      flags,
      async () => {
        const locations = await resolveLocations(process.cwd(), process.env)
        const { file, removed } = await unsetConfigValue(locations, scope, args.key)
        return { key: args.key, scope, file, removed }
      },
      (result) =>
        result.removed
          ? `Removed ${result.key} from the ${result.scope} config (${result.file}).`
          : `${result.key} was not set in the ${result.scope} config (${result.file}); nothing changed.`,
    )
  }
}
