import type { CommandEntry, DoctorCheck } from './types.js'

/** The plugin a discovery warning is about; every warning from discoverProviders starts `Plugin <name>`. */
function pluginNamed(warning: string): string | undefined {
  return /^Plugin (\S+?):?\s/.exec(warning)?.[1]
}

export function checkPlugins(warnings: string[], providerNames: string[]): DoctorCheck[] {
  if (warnings.length === 0) {
    return [
      {
        id: 'plugins',
        status: 'ok',
        message: `Every plugin loaded; backends: ${providerNames.join(', ') || 'none'}.`,
      },
    ]
  }
  return warnings.map((warning) => {
    const plugin = pluginNamed(warning)
    return {
      id: plugin ? `plugin:${plugin}` : 'plugins',
      status: 'fail',
      message: warning,
      fix: plugin
        ? `Update it (\`nexus plugins update\`) or remove it: \`nexus plugins uninstall ${plugin}\`.`
        : 'Update your plugins (`nexus plugins update`) or uninstall the broken one.',
    }
  })
}

/** Command ids claimed by two or more plugins, with the plugins claiming each. */
export function duplicateCommandIds(commands: CommandEntry[]): Map<string, string[]> {
  const owners = new Map<string, Set<string>>()
  for (const { id, plugin } of commands) {
    const set = owners.get(id) ?? new Set<string>()
    set.add(plugin)
    owners.set(id, set)
  }
  const duplicates = new Map<string, string[]>()
  for (const [id, plugins] of owners) if (plugins.size > 1) duplicates.set(id, [...plugins].sort())
  return duplicates
}

export function checkCommandIds(commands: CommandEntry[]): DoctorCheck {
  const duplicates = duplicateCommandIds(commands)
  if (duplicates.size === 0)
    return { id: 'commands', status: 'ok', message: `${commands.length} commands, no id claimed twice.` }
  const listed = [...duplicates].map(([id, plugins]) => `"${id}" (${plugins.join(', ')})`).join('; ')
  return {
    id: 'commands',
    status: 'warn',
    message: `Commands claimed by more than one plugin, only one of which runs: ${listed}.`,
    fix: 'Uninstall one of the clashing plugins (`nexus plugins uninstall <name>`).',
  }
}
