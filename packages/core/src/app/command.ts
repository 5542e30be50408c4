import type { Writable } from 'node:stream'
import { ERROR_CODES, isNexusError } from '../errors/index.js'
import { createNexus, type Nexus } from './nexus.js'
import { streamReporter } from './reporter.js'
import type { HookRunner } from './types.js'

export interface CommandContext {
  hooks: HookRunner
  json: boolean
  debug: boolean
  /** Config values from flags, the layer between project files and NEXUS_* env. */
  flagConfig?: Record<string, unknown>
  cwd?: string
  env?: Record<string, string | undefined>
  stdout?: Writable & { isTTY?: boolean }
  stderr?: Writable & { isTTY?: boolean }
}

export interface FormattedFailure {
  exitCode: number
  /** What to print: on stdout under --json, on stderr otherwise. */
  text: string
}

/**
 * Turns anything thrown into what the user sees. A NexusError (from any copy of core) is the user's to act on:
 * its message and next step, no stack. Anything else is a bug: one line saying so, the stack only with --debug.
 */
export function formatFailure(error: unknown, options: { json: boolean; debug: boolean }): FormattedFailure {
  if (isNexusError(error)) {
    const body = {
      code: error.code,
      message: error.message,
      suggestion: error.suggestion ?? null,
      ...(error.details ? { details: error.details } : {}),
    }
    if (options.json)
      return { exitCode: error.exitCode, text: `${JSON.stringify({ error: body }, null, 2)}\n` }
    const lines = [`Error [${error.code}]: ${printable(error.message)}`]
    if (error.suggestion) lines.push(`→ ${printable(error.suggestion)}`)
    const stack = (error as { stack?: unknown }).stack
    if (options.debug && typeof stack === 'string') lines.push(stack)
    return { exitCode: error.exitCode, text: `${lines.join('\n')}\n` }
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
  const suggestion =
    'This is a bug in nexus or one of its plugins: rerun with --debug for details and report it.'
  if (options.json) {
    return {
      exitCode: ERROR_CODES.INTERNAL.exitCode,
      text: `${JSON.stringify({ error: { code: 'INTERNAL', message, suggestion } }, null, 2)}\n`,
    }
  }
  const lines = [`Error [INTERNAL]: ${printable(message ?? '')}`, `→ ${suggestion}`]
  if (options.debug && error instanceof Error && error.stack) lines.push(error.stack)
  return { exitCode: ERROR_CODES.INTERNAL.exitCode, text: `${lines.join('\n')}\n` }
}

// Control characters (C0, C1) and format characters (zero-width, bidi overrides): what would let a quoted name
// break the line or repaint the terminal.
const UNPRINTABLE = /[\p{Cc}\p{Cf}]/gu

/**
 * Messages quote what the user typed, which may hold a newline, an ANSI escape or a right-to-left override: shown
 * raw, those would split the one-line error or rewrite the terminal. They are shown as `\u{…}` escapes instead.
 */
function printable(text: string): string {
  return text.replace(UNPRINTABLE, (character) => `\\u{${character.codePointAt(0)?.toString(16) ?? ''}}`)
}

/**
 * The shape of every nexus command: build nexus, run the action, print the result (JSON document under --json,
 * the rendered text otherwise) or the failure. Returns the exit code; the caller exits with it.
 */
export async function runNexusCommand<T>(
  context: CommandContext,
  action: (nexus: Nexus) => Promise<T>,
  render?: (result: T) => string | undefined,
): Promise<number> {
  const stdout = context.stdout ?? process.stdout
  const stderr = context.stderr ?? process.stderr
  const reporter = streamReporter({
    stream: stderr,
    progress: !context.json && stderr.isTTY === true,
    debug: context.debug,
  })
  try {
    const nexus = await createNexus({
      hooks: context.hooks,
      reporter,
      ...(context.flagConfig ? { flagConfig: context.flagConfig } : {}),
      ...(context.cwd ? { cwd: context.cwd } : {}),
      ...(context.env ? { env: context.env } : {}),
    })
    const result = await action(nexus)
    if (context.json) {
      stdout.write(`${JSON.stringify(result ?? null, null, 2)}\n`)
    } else if (render) {
      const text = render(result)
      if (text) stdout.write(text.endsWith('\n') ? text : `${text}\n`)
    }
    return 0
  } catch (error) {
    const failure = formatFailure(error, context)
    ;(context.json ? stdout : stderr).write(failure.text)
    return failure.exitCode
  }
}
