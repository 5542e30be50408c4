import { Command, Flags, toConfiguredId, type Interfaces } from '@oclif/core'
import {
  NexusError,
  formatFailure,
  reportCommandError,
  runNexusCommand,
  type HookRunner,
  type Nexus,
} from '@nexus/core'

export interface OutputFlags {
  json: boolean
  debug: boolean
}

/**
 * What every nexus command shares: `--json` and `--debug`, running an action against core with one JSON document
 * or rendered text as output, and turning anything that goes wrong — bad flags included — into a coded error.
 *
 * `--json` is our own flag, not oclif's `enableJsonFlag`: core's runNexusCommand prints the JSON document, and
 * oclif would print a second one.
 */
export abstract class NexusCommand extends Command {
  static override baseFlags = {
    json: Flags.boolean({
      description: 'Print one JSON document on stdout instead of text.',
      default: false,
    }),
    debug: Flags.boolean({ description: 'Show debug output and stack traces.', default: false }),
  }

  /** The command as the user types it, e.g. `workspace create`. */
  protected get displayId(): string {
    return toConfiguredId(this.id ?? '', this.config)
  }

  /**
   * oclif accepts `--flag ""`, and commands test string flags for truthiness: an empty value would silently mean
   * "not given" (`--from-snapshot ""` created a plain workspace). No nexus flag has a meaning for blank text.
   */
  protected override async parse<
    F extends Record<string, unknown>,
    B extends Record<string, unknown>,
    A extends Record<string, unknown>,
  >(options?: Interfaces.Input<F, B, A>, argv?: string[]): Promise<Interfaces.ParserOutput<F, B, A>> {
    const parsed = await super.parse(options, argv)
    const blank = parsed.raw.find(
      (token): token is Extract<typeof token, { type: 'flag' }> =>
        token.type === 'flag' && token.input.trim() === '',
    )
    if (blank !== undefined) {
      throw new NexusError('INVALID_ARGUMENT', `--${blank.flag} was given an empty value.`, {
        suggestion: `Give --${blank.flag} a value, or leave the flag out; \`nexus ${this.displayId} --help\` describes it.`,
      })
    }
    return parsed
  }

  /** oclif's Config has a generic runHook; core wants its one structural signature. */
  protected get hooks(): HookRunner {
    return {
      runHook: (event, options, timeout, captureErrors) =>
        this.config.runHook(event, options, timeout, captureErrors),
    }
  }

  /**
   * Runs `action` against core and prints its result (JSON under --json, `render`'s text otherwise) or its
   * failure; exits with the failure's code. Returns the result, or never returns on failure.
   */
  protected async runNexus<T>(
    flags: OutputFlags,
    action: (nexus: Nexus) => Promise<T>,
    render?: (result: T) => string | undefined,
    /** Config values given as flags: the layer between the project file and NEXUS_* variables. */
    flagConfig?: Record<string, unknown>,
  ): Promise<T> {
    let result: T | undefined
    const code = await runNexusCommand(
      { hooks: this.hooks, json: flags.json, debug: flags.debug, ...(flagConfig ? { flagConfig } : {}) },
      async (nexus) => {
        result = await action(nexus)
        return result
      },
      render,
    )
    if (code !== 0) this.exit(code)
    return result as T
  }

  /**
   * Like runNexus for commands that must work without the rest of nexus: `config set` has to be able to repair a
   * config file that makes loading nexus fail.
   */
  protected async runStandalone<T>(
    flags: OutputFlags,
    action: () => Promise<T>,
    render?: (result: T) => string | undefined,
  ): Promise<T> {
    let result: T
    try {
      result = await action()
    } catch (error) {
      const failure = formatFailure(error, flags)
      ;(flags.json ? process.stdout : process.stderr).write(failure.text)
      return this.exit(failure.exitCode)
    }
    const text = flags.json ? JSON.stringify(result ?? null, null, 2) : render?.(result)
    if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
    return result
  }

  /** Everything that escapes `run`: core decides how it is shown (never a stack trace unless --debug). */
  override async catch(error: Error): Promise<unknown> {
    const suggestion = this.usageSuggestion()
    const exitCode = reportCommandError(error, {
      commandId: this.displayId,
      argv: this.argv,
      parsed: this.parsed,
      ...(suggestion ? { suggestion } : {}),
    })
    if (exitCode === undefined) throw error
    return this.exit(exitCode)
  }

  /** What to suggest when the command line does not parse; the default points at the command's help. */
  protected usageSuggestion(): string | undefined {
    return undefined
  }
}
