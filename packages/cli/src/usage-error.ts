import { NexusError } from '@nexus/core'

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
export function usageError(error: unknown, commandId: string, suggestion?: string): NexusError {
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
  const firstLine = raw.split('\n')[0]?.trim() ?? ''
  return firstLine === '' ? 'The command line could not be parsed' : firstLine
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`
}
