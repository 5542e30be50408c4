import type { Writable } from 'node:stream'
import { NexusError, isNexusError } from '../errors/index.js'
import { formatFailure } from './command.js'

interface ParseErrorShape {
  message?: unknown
  args?: unknown
}

/** oclif decorates a failed flag parser's message as "Parsing --flag \n\t<reason>\nSee more help with --help". */
const FLAG_PARSE_MESSAGE = /^Parsing --([\w-]+)\s*\n\t([^\n]*)/

/**
 * An oclif parse failure (unknown flag, missing or extra argument, bad flag value) as a coded error: oclif's
 * messages span several lines and end in "See more help with --help"; ours is one sentence and a command to run.
 */
export function commandLineError(error: unknown, commandId: string, suggestion?: string): NexusError {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ParseErrorShape
  const raw = typeof shape.message === 'string' ? shape.message : String(error)
  return new NexusError('INVALID_ARGUMENT', sentence(usageMessage(raw, shape)), {
    suggestion: suggestion ?? `Run \`nexus ${commandId ? `${commandId} ` : ''}--help\` for usage.`,
    cause: error,
  })
}

function usageMessage(raw: string, shape: ParseErrorShape): string {
  const flagFailure = FLAG_PARSE_MESSAGE.exec(raw)
  if (flagFailure) return `Invalid value for --${flagFailure[1]}: ${flagFailure[2]?.trim()}`
  if (raw.startsWith('Missing') && Array.isArray(shape.args)) {
    const names = shape.args.map((arg: { name?: unknown }) => `<${String(arg.name)}>`)
    return `Missing required argument${names.length === 1 ? '' : 's'} ${names.join(', ')}`
  }
  // Some oclif messages open with a heading ("The following error occurred:") and give the reason below it.
  const reason = raw
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.endsWith(':') && !/^See more help/.test(line))
  return reason ?? 'The command line could not be parsed'
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`
}

interface CommandErrorContext {
  /** The command as typed, e.g. `workspace create`. */
  commandId: string
  argv: string[]
  /** False while oclif is still parsing: then a failure is the user's command line, not a bug. */
  parsed: boolean
  suggestion?: string
  stdout?: Writable
  stderr?: Writable
}

/** Whether a boolean flag is on the command line (before any `--`): usable when parsing itself failed. */
function flagGiven(argv: string[], flag: string): boolean {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).includes(flag)
}

/**
 * What every nexus command — built in or from a plugin — does with an error that escapes it: oclif's own exit
 * passes through (returns undefined: rethrow it); a command line that does not parse becomes INVALID_ARGUMENT;
 * anything else is printed as core prints failures. Returns the exit code to exit with.
 */
export function reportCommandError(error: unknown, context: CommandErrorContext): number | undefined {
  const exiting = error as { code?: unknown; oclif?: { exit?: unknown } } | null
  if (exiting?.code === 'EEXIT' && typeof exiting.oclif?.exit === 'number') return undefined
  const options = { json: flagGiven(context.argv, '--json'), debug: flagGiven(context.argv, '--debug') }
  const failure =
    !context.parsed && !isNexusError(error)
      ? commandLineError(error, context.commandId, context.suggestion)
      : error
  const formatted = formatFailure(failure, options)
  ;(options.json ? (context.stdout ?? process.stdout) : (context.stderr ?? process.stderr)).write(
    formatted.text,
  )
  return formatted.exitCode
}
