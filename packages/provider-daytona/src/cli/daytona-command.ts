import { Command, Flags } from '@oclif/core'
import {
  NexusError,
  reportCommandError,
  runNexusCommand,
  supportedCapabilities,
  type HookRunner,
  type JsonValue,
  type Nexus,
  type OperationParams,
  type Workspace,
} from '@nexus/core'
import { renderResult } from './render.js'

export interface OutputFlags {
  json: boolean
  debug: boolean
}

/**
 * Refuses a workspace of another backend with what that backend is and what it can do, so the user sees at once
 * which command family fits (core's own check only says the backends differ).
 */
export async function requireDaytonaWorkspace(nexus: Nexus, name: string): Promise<Workspace> {
  const workspace = await nexus.manager.get(name)
  if (workspace.backend === 'daytona') return workspace
  const other = await nexus.registry.get(workspace.backend)
  const capabilities = supportedCapabilities(other.capabilities())
  const operations = other.operations().map((operation) => operation.id)
  throw new NexusError(
    'INVALID_ARGUMENT',
    `Workspace "${workspace.name}" runs on the ${workspace.backend} backend, not daytona.`,
    {
      suggestion: `The ${workspace.backend} backend supports: ${capabilities.join(', ') || 'nothing optional'}${
        operations.length
          ? `; its escape hatches are \`nexus workspace provider ${workspace.backend} …\` (${operations.join(', ')})`
          : ''
      }. Snapshots of any backend: \`nexus workspace snapshot create ${workspace.name} <name>\`.`,
      details: { workspace: workspace.name, backend: workspace.backend, capabilities, operations },
    },
  )
}

/**
 * The base of the daytona plugin's commands. A plugin cannot import the CLI's own base class (it may be installed
 * against another build of nexus), so it goes to core's app layer: `runNexusCommand` builds nexus, runs the action
 * and prints the result or the failure exactly as built-in commands do.
 */
export abstract class DaytonaCommand extends Command {
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

  /** Runs one `daytona.*` operation on a workspace through the manager (lock, capability and param checks, events). */
  protected runOperation(
    flags: OutputFlags,
    id: string,
    workspace: string,
    params: OperationParams,
    render: (result: JsonValue) => string = renderResult,
  ): Promise<void> {
    const defined = Object.fromEntries(
      Object.entries(params).filter(([, value]) => value !== undefined),
    ) as OperationParams
    return this.runNexus(
      flags,
      async (nexus) => {
        await requireDaytonaWorkspace(nexus, workspace)
        return nexus.manager.runOperation({ backend: 'daytona', id, params: defined, workspace })
      },
      render,
    )
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
