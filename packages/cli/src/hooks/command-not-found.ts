import { loadHelpClass, toConfiguredId, type Hook, type Interfaces } from '@oclif/core'
import { NexusError, formatFailure } from '@nexus/core'
import { closestMatch } from '../closest.js'

/**
 * `nexus <something unknown>`: a coded INVALID_ARGUMENT with the nearest real command instead of oclif's bare
 * "command not found". oclif joins extra words into the id (`ws:ls:a:b`), so a known command at the start of the id
 * means the rest were arguments it does not take. `nexus ws` alone shows the workspace help, `ws` being its alias.
 */
const hook: Hook.CommandNotFound = async function (options) {
  const { id, argv = [], config } = options
  if (id === 'ws') {
    const Help = await loadHelpClass(config)
    await new Help(config, config.pjson.oclif.helpOptions ?? config.pjson.helpOptions).showHelp(['workspace'])
    return
  }
  const json = optionsOf(argv).includes('--json')
  const failure = formatFailure(notFoundError(id, config), {
    json,
    debug: optionsOf(argv).includes('--debug'),
  })
  ;(json ? process.stdout : process.stderr).write(failure.text)
  this.exit(failure.exitCode)
}

export default hook

export function notFoundError(id: string, config: Interfaces.Config): NexusError {
  const words = id.split(':')
  for (let length = words.length - 1; length > 0; length -= 1) {
    const known = config.findCommand(words.slice(0, length).join(':'))
    if (!known) continue
    const command = toConfiguredId(known.id, config)
    const extra = words.slice(length).join(' ')
    return new NexusError(
      'INVALID_ARGUMENT',
      `\`nexus ${command}\` does not take the argument(s) "${extra}".`,
      {
        suggestion: `Run \`nexus ${command} --help\` for usage.`,
      },
    )
  }
  const typed = toConfiguredId(id, config)
  const candidates = config.commands
    .filter((command) => !command.hidden)
    .map((command) => toConfiguredId(command.id, config))
  const nearest = closestMatch(typed, candidates)
  return new NexusError('INVALID_ARGUMENT', `\`nexus ${typed}\` is not a nexus command.`, {
    suggestion: nearest
      ? `Did you mean \`nexus ${nearest}\`? Run \`nexus --help\` for all commands.`
      : 'Run `nexus --help` for all commands.',
  })
}

function optionsOf(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--')
  return end === -1 ? argv : argv.slice(0, end)
}
