import { NexusError } from '../errors/index.js'
import { allocatePorts, collectPortRequests, isPortFree, rangesForBackend } from '../ports/index.js'
import { requireCapability, type Provider } from '../provider/index.js'
import { workspaceLockKey } from '../state/index.js'
import type { Workspace } from '../workspace/index.js'
import { managerConfig } from './config-view.js'
import { PORTS_LOCK, type ManagerDeps } from './deps.js'
import { transition } from './records.js'

export interface LifecycleResult {
  workspace: Workspace
  /** True when the workspace was already in the asked-for state and nothing was done. */
  unchanged: boolean
  warnings: string[]
}

/** Runs `fn` on a workspace while holding its lock, re-reading the record inside the lock. */
export async function withWorkspace<T>(
  deps: ManagerDeps,
  workspace: Workspace,
  fn: (fresh: Workspace) => Promise<T>,
): Promise<T> {
  return deps.state.withLock(
    workspaceLockKey(workspace.repoRoot, workspace.name),
    async () => {
      const fresh = await deps.state.get(workspace.id)
      if (!fresh) {
        throw new NexusError(
          'WORKSPACE_NOT_FOUND',
          `Workspace "${workspace.name}" was destroyed meanwhile.`,
          {
            suggestion: 'List workspaces with `nexus workspace ls`.',
          },
        )
      }
      return fn(fresh)
    },
    { what: `Workspace "${workspace.name}"` },
  )
}

/**
 * Moves the workspace's ports to a free block when one of them was taken by something else while it was stopped,
 * so that start does not fail on a port another program grabbed meanwhile.
 */
async function reassignTakenPorts(
  deps: ManagerDeps,
  workspace: Workspace,
): Promise<{ workspace: Workspace; warning?: string }> {
  const probes = await Promise.all(
    workspace.ports.map(async (p) => ({ port: p, free: await isPortFree(p.hostPort) })),
  )
  const taken = probes.filter((p) => !p.free).map((p) => p.port)
  if (taken.length === 0) return { workspace }
  const config = managerConfig(deps.loaded)
  const fixed = taken.find((p) => config.ports[p.name]?.host === p.hostPort)
  if (fixed) {
    throw new NexusError(
      'PORT_CONFLICT',
      `Host port ${fixed.hostPort} (${fixed.name}) of workspace "${workspace.name}" is taken by another program.`,
      {
        suggestion: `Free the port, or remove the fixed host port from ports.${fixed.name} in your config.`,
      },
    )
  }
  return deps.state.withLock(PORTS_LOCK, async () => {
    const others = (await deps.state.list()).filter((w) => w.id !== workspace.id)
    const requests = collectPortRequests(config.ports, config.services, [])
    for (const mapping of workspace.ports) {
      if (mapping.name !== 'ssh' && !requests.some((r) => r.name === mapping.name)) {
        requests.push({
          name: mapping.name,
          containerPort: mapping.containerPort,
          ...(mapping.service ? { service: mapping.service } : {}),
        })
      }
    }
    const allocation = await allocatePorts({
      workspaceName: workspace.name,
      ranges: rangesForBackend(workspace.backend, config.portRange),
      requests,
      held: others.flatMap((w) => w.ports),
      heldBlocks: [...others.map((w) => w.portBlockStart), workspace.portBlockStart],
    })
    const moved: Workspace = { ...workspace, portBlockStart: allocation.blockStart, ports: allocation.ports }
    await deps.state.write(moved)
    const list = taken.map((p) => `${p.name} ${p.hostPort}`).join(', ')
    return {
      workspace: moved,
      warning: `Port(s) ${list} were taken by another program; the workspace moved to ports ${allocation.blockStart}–${allocation.blockStart + 9}.`,
    }
  })
}

/** Starts a stopped workspace on its backend and records it running. Caller holds the workspace lock. */
export async function startOnBackend(
  deps: ManagerDeps,
  provider: Provider,
  workspace: Workspace,
): Promise<Workspace> {
  const { workspace: placed, warning } = await reassignTakenPorts(deps, workspace)
  if (warning) deps.reporter.warn(warning)
  const step = deps.reporter.step(`Starting ${placed.name} on ${provider.name}`)
  try {
    const result = await provider.start(placed)
    step('done')
    for (const w of result?.warnings ?? []) deps.reporter.warn(w)
    return await transition(
      deps,
      placed,
      'running',
      result?.backendRef ? { backendRef: result.backendRef } : {},
    )
  } catch (error) {
    step('failed')
    throw error
  }
}

export async function startWorkspace(deps: ManagerDeps, target: Workspace): Promise<LifecycleResult> {
  const provider = await deps.registry.get(target.backend)
  return withWorkspace(deps, target, async (workspace) => {
    const live = await provider.inspect(workspace)
    if (live.status === 'running' && workspace.status === 'running')
      return { workspace, unchanged: true, warnings: [] }
    if (workspace.status === 'paused' && live.status === 'paused') {
      await provider.resume(workspace)
      return { workspace: await transition(deps, workspace, 'running'), unchanged: false, warnings: [] }
    }
    let current = workspace
    if (current.status === 'running' || current.status === 'paused') {
      // The backend stopped it behind our back (crash, reboot, auto-stop): record that before starting again.
      if (current.status === 'paused') current = await transition(deps, current, 'running')
      current = await transition(deps, current, 'stopped')
    }
    if (current.status === 'error') current = await transition(deps, current, 'stopped')
    if (current.status !== 'stopped') {
      throw new NexusError(
        'INVALID_TRANSITION',
        `Workspace "${current.name}" is ${current.status} and cannot be started.`,
        {
          suggestion: `Run \`nexus workspace repair ${current.name}\`, or destroy and recreate it.`,
        },
      )
    }
    return { workspace: await startOnBackend(deps, provider, current), unchanged: false, warnings: [] }
  })
}

export async function stopWorkspace(deps: ManagerDeps, target: Workspace): Promise<LifecycleResult> {
  const provider = await deps.registry.get(target.backend)
  const graceSeconds = managerConfig(deps.loaded).stopGraceSeconds
  return withWorkspace(deps, target, async (workspace) => {
    if (workspace.status === 'stopped') return { workspace, unchanged: true, warnings: [] }
    let current = workspace
    if (current.status === 'paused') {
      await provider.resume(current)
      current = await transition(deps, current, 'running')
    }
    const step = deps.reporter.step(`Stopping ${current.name}`)
    await provider.stop(current, { graceSeconds }).catch((error: unknown) => {
      step('failed')
      throw error
    })
    step('done')
    return { workspace: await transition(deps, current, 'stopped'), unchanged: false, warnings: [] }
  })
}

export async function pauseWorkspace(deps: ManagerDeps, target: Workspace): Promise<LifecycleResult> {
  const provider = await deps.registry.get(target.backend)
  requireCapability(provider, 'pause', 'pause workspaces')
  return withWorkspace(deps, target, async (workspace) => {
    if (workspace.status === 'paused') return { workspace, unchanged: true, warnings: [] }
    if (workspace.status !== 'running') {
      throw new NexusError(
        'WORKSPACE_NOT_RUNNING',
        `Workspace "${workspace.name}" is ${workspace.status}; only a running workspace can be paused.`,
        {
          suggestion: `Start it with \`nexus workspace start ${workspace.name}\`.`,
        },
      )
    }
    await provider.pause(workspace)
    return { workspace: await transition(deps, workspace, 'paused'), unchanged: false, warnings: [] }
  })
}

export async function resumeWorkspace(deps: ManagerDeps, target: Workspace): Promise<LifecycleResult> {
  const provider = await deps.registry.get(target.backend)
  requireCapability(provider, 'pause', 'resume workspaces')
  return withWorkspace(deps, target, async (workspace) => {
    if (workspace.status === 'running') return { workspace, unchanged: true, warnings: [] }
    if (workspace.status !== 'paused') {
      throw new NexusError(
        'INVALID_TRANSITION',
        `Workspace "${workspace.name}" is ${workspace.status}, not paused.`,
        {
          suggestion: `Start it with \`nexus workspace start ${workspace.name}\`.`,
        },
      )
    }
    await provider.resume(workspace)
    return { workspace: await transition(deps, workspace, 'running'), unchanged: false, warnings: [] }
  })
}
