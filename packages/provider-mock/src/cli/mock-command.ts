import { Command, Flags } from '@oclif/core'
import { type HookRunner, type Nexus, reportCommandError, runNexusCommand } from '@nexus/core'

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

  /** Bad flags or arguments become INVALID_ARGUMENT; core prints every failure the way built-in commands do. */
  override async catch(error: Error): Promise<unknown> {
    const exitCode = reportCommandError(error, {
      commandId: (this.id ?? '').replaceAll(':', ' '),
      argv: this.argv,
      parsed: this.parsed,
    })
    if (exitCode === undefined) throw error
    return this.exit(exitCode)
  }
}
