import { Flags } from '@oclif/core'
import { listConfig, loadConfig } from '@nexus/core'
import { NexusCommand } from '../../base-command.js'
import { renderConfigList, type ConfigEntry } from '../../render/config.js'

export default class ConfigList extends NexusCommand {
  static override summary = 'List every config value in effect, optionally with where each comes from.'
  static override description =
    'Layers, lowest precedence first: built-in defaults, system file, user file, project file, flags, NEXUS_* variables. ' +
    'The origin is the layer whose value won.'
  static override examples = [
    '<%= config.bin %> config list',
    '<%= config.bin %> config list --show-origin --json',
  ]

  static override flags = {
    'show-origin': Flags.boolean({
      description: 'Add the origin of each value (scope and file or variable).',
    }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(ConfigList)
    await this.runStandalone(
      flags,
      async (): Promise<ConfigEntry[]> =>
        listConfig(await loadConfig({ cwd: process.cwd(), env: process.env })),
      (entries) => renderConfigList(entries, flags['show-origin']),
    )
  }
}
