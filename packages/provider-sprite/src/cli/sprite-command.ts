import { Command, Flags } from '@oclif/core'
import {
  reportCommandError,
  runNexusCommand,
  type HookRunner,
  type JsonValue,
  type OperationParams,
} from '@nexus/core'

export interface OutputFlags {
  json: boolean
  debug: boolean
}

/**
 * The base of the sprite plugin's commands. A plugin cannot import the CLI's own base class (it may be installed
 * against another build of nexus), so it goes to core's app layer directly: `runNexusCommand` builds nexus, runs
 * the operation and prints the result or the failure exactly as built-in commands do.
 */
export abstract class SpriteCommand extends Command {
  static override baseFlags = {
    json: Flags.boolean({
      description: 'Print one JSON document on stdout instead of text.',
      default: false,
    }),
    debug: Flags.boolean({ description: 'Show debug output and stack traces.', default: false }),
  }

  /** Runs `sprite.<id>` on a workspace through core, which checks the capability and the parameters. */
  protected async runOperation(
    flags: OutputFlags,
    id: string,
    workspace: string,
    params: OperationParams,
    render: (result: JsonValue) => string,
  ): Promise<void> {
    const hooks: HookRunner = {
      runHook: (event, options, timeout, captureErrors) =>
        this.config.runHook(event, options, timeout, captureErrors),
    }
    const defined = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined))
    const code = await runNexusCommand(
      { hooks, json: flags.json, debug: flags.debug },
      (nexus) => nexus.manager.runOperation({ backend: 'sprite', id, params: defined, workspace }),
      render,
    )
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
