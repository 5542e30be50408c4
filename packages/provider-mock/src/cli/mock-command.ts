import { Command, Flags } from '@oclif/core'
import {
  formatFailure,
  isNexusError,
  NexusError,
  runNexusCommand,
  type HookRunner,
  type Nexus,
} from '@nexus/core'

export interface OutputFlags {
  json: boolean
  debug: boolean
}

/**
 * The base of the mock plugin's commands. A plugin cannot import the CLI's own base class (it may be installed
 * against another build of nexus), so it goes to core's app layer directly: `runNexusCommand` builds nexus, runs
 * the action and prints the result or the failure exactly as built-in commands do.
 */
export abstract class MockCommand extends Command {
  static override baseFlags = {
    json: Flags.boolean({
      description: 'Print one JSON document on stdout instead of text.',
      default: false,
    }),
    debug: Flags.boolean({ description: 'Show debug output and stack traces.', default: false }),
  }

  protected async runNexus<T>(
    flags: OutputFlags,
    action: (nexus: Nexus) => Promise<T>,
    render: (result: T) => string,
  ): Promise<void> {
    const hooks: HookRunner = {
      runHook: (event, options, timeout, captureErrors) =>
        this.config.runHook(event, options, timeout, captureErrors),
    }
    const code = await runNexusCommand({ hooks, json: flags.json, debug: flags.debug }, action, render)
    if (code !== 0) this.exit(code)
  }

  /** Bad flags or arguments become INVALID_ARGUMENT, printed like every other nexus failure. */
  override async catch(error: Error & { oclif?: { exit?: number }; code?: string }): Promise<unknown> {
    if (error.code === 'EEXIT' && typeof error.oclif?.exit === 'number') throw error
    const failure = isNexusError(error)
      ? error
      : new NexusError('INVALID_ARGUMENT', parseFailureSentence(error.message), {
          suggestion: `Run \`nexus ${(this.id ?? '').replaceAll(':', ' ')} --help\` for usage.`,
          cause: error,
        })
    const json = this.argv.includes('--json')
    const formatted = formatFailure(failure, { json, debug: this.argv.includes('--debug') })
    ;(json ? process.stdout : process.stderr).write(formatted.text)
    return this.exit(formatted.exitCode)
  }
}

/** oclif's parse errors wrap the reason in "The following error occurred:" … "See more help with --help". */
function parseFailureSentence(message: string): string {
  const reasons = message
    .split('\n')
    .map((line) => line.trim())
    .filter(
      (line) =>
        line !== '' && !/^The following errors? occurred:?$/.test(line) && !/^See more help/.test(line),
    )
  const text = reasons.join('; ') || 'The command line could not be parsed'
  return /[.!?]$/.test(text) ? text : `${text}.`
}
