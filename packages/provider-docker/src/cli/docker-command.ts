import { Command, Flags } from '@oclif/core'
import {
  type HookRunner,
  type JsonValue,
  type OperationParams,
  reportCommandError,
  runNexusCommand,
} from '@nexus/core'
import { renderResult } from './render.js'

export interface OutputFlags {
  json: boolean
  debug: boolean
}

/**
 * The base of the docker plugin's commands: each is a thin front for one `docker.*` operation. A plugin cannot import
 * the CLI's own base class (it may be installed against another build of nexus), so it goes to core's app layer:
 * `runNexusCommand` builds nexus, runs the operation through the workspace manager (lock, capability and param
 * checks, event log) and prints the result or the failure as built-in commands do.
 */
export abstract class DockerCommand extends Command {
  static override baseFlags = {
    json: Flags.boolean({
      description: 'Print one JSON document on stdout instead of text.',
      default: false,
    }),
    debug: Flags.boolean({ description: 'Show debug output and stack traces.', default: false }),
  }

  protected async runOperation(
    flags: OutputFlags,
    id: string,
    params: OperationParams,
    workspace?: string,
  ): Promise<void> {
    const hooks: HookRunner = {
      runHook: (event, options, timeout, captureErrors) =>
        this.config.runHook(event, options, timeout, captureErrors),
    }
    const defined = Object.fromEntries(
      Object.entries(params).filter(([, value]) => value !== undefined),
    ) as OperationParams
    const code = await runNexusCommand(
      { hooks, json: flags.json, debug: flags.debug },
      (nexus) =>
        nexus.manager.runOperation({
          backend: 'docker',
          id,
          params: defined,
          ...(workspace ? { workspace } : {}),
        }),
      (result: JsonValue) => renderResult(result),
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
