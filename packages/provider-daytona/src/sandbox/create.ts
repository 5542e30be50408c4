import type { CreateRequest, CreateResult, Workspace } from '@nexus/core'
import type { CreateSandboxFromImageParams, CreateSandboxFromSnapshotParams } from '@daytonaio/sdk'
import type { Sandbox } from '../client/sdk.js'
import { sandboxChoices, type SandboxChoices } from '../config.js'
import { deliverCode } from './code.js'
import { runInSandbox } from './process.js'
import { PROGRESS_STATES, LABELS, sandboxLabels, sandboxName, toBackendRef, workdirUnder } from './naming.js'
import type { Sandboxes } from './sandboxes.js'

export interface CreateFrom {
  /** A Daytona snapshot (template) to start from; the code is already in it. */
  snapshot: string
  /** Appended to the sandbox name, when the workspace's old sandbox still holds the plain one (restore). */
  nameSuffix?: string
}

type CreateParams = CreateSandboxFromSnapshotParams | CreateSandboxFromImageParams

function createParams(
  home: string,
  workspace: Workspace,
  env: Record<string, string>,
  choices: SandboxChoices,
  from?: CreateFrom,
): CreateParams {
  const base = {
    name: `${sandboxName(workspace)}${from?.nameSuffix ?? ''}`,
    labels: sandboxLabels(workspace, home),
    envVars: env,
    public: false,
    ...(choices.autoStopInterval !== undefined ? { autoStopInterval: choices.autoStopInterval } : {}),
    ...(choices.ephemeral ? { ephemeral: true } : {}),
  }
  if (from) return { ...base, snapshot: from.snapshot }
  if (choices.image) return { ...base, image: choices.image, resources: choices.resources }
  return choices.snapshot ? { ...base, snapshot: choices.snapshot } : base
}

/**
 * Makes the workspace's sandbox, puts the code in it, and leaves it stopped: the contract's create provisions and
 * core's start runs it (and a created workspace must not be running yet).
 */
export async function createSandbox(
  sandboxes: Sandboxes,
  request: CreateRequest,
  from?: CreateFrom,
): Promise<CreateResult> {
  const { workspace, spec } = request
  const { config, reporter } = sandboxes.deps
  const choices = sandboxChoices(config, spec.options, workspace.resources)
  if (
    !choices.image &&
    !from &&
    (spec.options.disk !== undefined || config.defaultResources.disk !== undefined)
  ) {
    reporter.warn(
      'Daytona sizes a sandbox from its image: --disk, --cpu and --memory apply only with --image (or backends.daytona.image).',
    )
  }
  const params = createParams(sandboxes.deps.home, workspace, spec.env, choices, from)
  const watcher = watchProgress(sandboxes, workspace)
  let sandbox: Sandbox
  try {
    sandbox = await sandboxes.call(
      `create the sandbox of workspace "${workspace.name}"`,
      workspace,
      (daytona) =>
        'image' in params
          ? daytona.create(params, { timeout: config.createTimeoutSeconds })
          : daytona.create(params, { timeout: config.createTimeoutSeconds }),
      choices.target,
    )
  } finally {
    watcher.stop()
  }
  const home = await sandboxes.call(
    `ask the sandbox of "${workspace.name}" for its home`,
    workspace,
    async () => (await sandbox.getUserHomeDir()) ?? '/home/daytona',
  )
  const workdir = workdirUnder(home)
  if (!from) await deliverCode(sandboxes, workspace, sandbox, workdir, choices)
  else await runInSandbox(sandboxes, workspace, sandbox, ['mkdir', '-p', workdir])
  await sandboxes.call(`stop the new sandbox of workspace "${workspace.name}"`, workspace, () =>
    sandbox.stop(config.createTimeoutSeconds),
  )
  return { backendRef: toBackendRef({ sandboxId: sandbox.id, workdir }) }
}

/**
 * The SDK waits for `started` without telling anyone what happens meanwhile; image builds and pulls take minutes,
 * so the sandbox's state is polled alongside and each new one reported.
 */
function watchProgress(sandboxes: Sandboxes, workspace: Workspace): { stop(): void } {
  const { reporter, clock, config } = sandboxes.deps
  let stopped = false
  const seen = new Set<string>()
  const interval = config.poll ? 100 : 1000
  void (async () => {
    while (!stopped) {
      await clock.sleep(interval)
      if (stopped) return
      const state = await sandboxes
        .call('watch the new sandbox', workspace, async (daytona) => {
          for await (const sandbox of daytona.list({ labels: { [LABELS.workspaceId]: workspace.id } }))
            return sandbox.state
          return undefined
        })
        .catch(() => undefined)
      if (stopped || !state || seen.has(state)) continue
      seen.add(state)
      const meaning = PROGRESS_STATES[state]
      if (meaning) reporter.info(`Daytona: ${state} (${meaning})`)
    }
  })()
  return {
    stop: () => {
      stopped = true
    },
  }
}
