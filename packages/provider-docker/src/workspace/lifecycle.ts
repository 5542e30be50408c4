import {
  NexusError,
  type BackendResource,
  type BackendStatus,
  type InspectResult,
  type JsonObject,
  type StartResult,
  type Workspace,
} from '@nexus/core'
import type { ContainerDetails } from '../engine/engine.js'
import { pollUntil } from '../engine/retry.js'
import { workspaceUserFor } from '../image/builder.js'
import { provisionServices, startServices } from '../services/runtime.js'
import { publishesPorts, workspacePortBindings } from './container-spec.js'
import { sshPortOf } from './endpoint.js'
import { LABELS, MANAGED_FILTER, namesFor, workspaceFilter } from './naming.js'
import { provisionAll, servicesOf, storedSpecFor, type DockerDeps } from './provision.js'
import { readSshBanner } from './ssh-ready.js'

export function backendRefOf(deps: DockerDeps, workspace: Workspace, containerId: string | null): JsonObject {
  const names = namesFor(workspace)
  return {
    engine: deps.engine.location,
    containerId,
    container: names.container,
    network: names.network,
    user: workspaceUserFor(deps.identity),
  }
}

/** The engine's container states in nexus's words. */
export function backendStatusOf(state: string | undefined): BackendStatus {
  switch (state) {
    case 'running':
      return 'running'
    case 'paused':
      return 'paused'
    case 'created':
    case 'exited':
      return 'stopped'
    case 'restarting':
    case 'removing':
      return 'pending'
    default:
      return 'error'
  }
}

async function workspaceContainers(deps: DockerDeps, workspace: Workspace) {
  return deps.engine.listContainers([MANAGED_FILTER, workspaceFilter(workspace.id)])
}

/** Removes every container of the workspace and provisions it again from its record: the "it was lost" path. */
async function recreate(deps: DockerDeps, workspace: Workspace, warnings: string[]): Promise<string> {
  const existing = await workspaceContainers(deps, workspace)
  await Promise.all(existing.map((container) => deps.engine.removeContainer(container.Id, { force: true })))
  const stored = await storedSpecFor(deps, workspace, warnings)
  const { containerId } = await provisionAll(deps, workspace, stored)
  return containerId
}

/**
 * Starts services and the workspace container and returns once sshd greets on the published port. A missing
 * container or network, or ports that core moved while the workspace was stopped, lead to a recreate.
 */
export async function startWorkspace(deps: DockerDeps, workspace: Workspace): Promise<StartResult> {
  const names = namesFor(workspace)
  const warnings: string[] = []
  const services = servicesOf(deps, workspace)
  const [details, network] = await Promise.all([
    deps.engine.inspectContainer(names.container),
    deps.engine.inspectNetwork(names.network),
  ])
  if (details?.State.Running && network) {
    if (details.State.Paused) await resumeWorkspace(deps, workspace)
    return { backendRef: backendRefOf(deps, workspace, details.Id) }
  }
  let containerId = details?.Id ?? null
  if (
    !details ||
    !network ||
    details.State.Status === 'dead' ||
    !publishesPorts(details.HostConfig.PortBindings, workspacePortBindings(workspace).bindings)
  ) {
    if (!details)
      warnings.push(
        `The container of "${workspace.name}" was missing; it was recreated from the workspace record.`,
      )
    else if (!network)
      warnings.push(`The network of "${workspace.name}" was missing; it and the containers were recreated.`)
    containerId = await recreate(deps, workspace, warnings)
  } else if (services.length > 0) {
    await provisionServices(deps.engine, deps.reporter, workspace, services)
  }
  const timeoutMs = deps.config.startTimeoutSeconds * 1000
  const [servicesHealthy] = await Promise.all([
    startServices(deps.engine, workspace, services, timeoutMs, deps.clock),
    deps.engine.startContainer(names.container),
  ])
  await waitForWorkspaceSshd(deps, workspace)
  await servicesHealthy()
  return { backendRef: backendRefOf(deps, workspace, containerId), ...(warnings.length ? { warnings } : {}) }
}

/**
 * Waits for sshd's banner on the workspace's ssh port. Every ~200 ms it also looks at the container, so an sshd that
 * dies at once fails the start at once instead of after the whole timeout.
 */
export async function waitForWorkspaceSshd(deps: DockerDeps, workspace: Workspace): Promise<void> {
  const port = sshPortOf(workspace)
  const container = namesFor(workspace).container
  const timeoutMs = deps.config.startTimeoutSeconds * 1000
  let probes = 0
  const outcome = await pollUntil(
    async () => {
      if (await readSshBanner('127.0.0.1', port)) return 'ready'
      probes += 1
      if (probes % 10 !== 0) return undefined
      const details = await deps.engine.inspectContainer(container)
      if (!details) return 'the container is gone'
      return details.State.Running ? undefined : `the container exited with code ${details.State.ExitCode}`
    },
    { intervalMs: 20, timeoutMs, clock: deps.clock },
  )
  if (outcome === 'ready') return
  throw new NexusError(
    'WORKSPACE_START_FAILED',
    `sshd in workspace "${workspace.name}" did not answer on port ${port}: ${outcome ?? `no answer within ${Math.round(timeoutMs / 1000)} s`}.`,
    {
      suggestion: `Read the container's output with \`docker logs ${container}\`; a custom image needs /bin/sh and a working sshd.`,
      details: { container, port },
    },
  )
}

export async function stopWorkspace(
  deps: DockerDeps,
  workspace: Workspace,
  graceSeconds: number,
): Promise<void> {
  const containers = await workspaceContainers(deps, workspace)
  await Promise.all(
    containers
      .filter((container) => container.State === 'running' || container.State === 'paused')
      .map(async (container) => {
        // A frozen process cannot act on SIGTERM: thaw it first so the grace period means something.
        if (container.State === 'paused') await deps.engine.unpauseContainer(container.Id)
        await deps.engine.stopContainer(container.Id, graceSeconds)
      }),
  )
}

async function requireRunning(deps: DockerDeps, workspace: Workspace): Promise<ContainerDetails> {
  const details = await deps.engine.inspectContainer(namesFor(workspace).container)
  if (!details?.State.Running) {
    throw new NexusError('WORKSPACE_NOT_RUNNING', `Workspace "${workspace.name}" is not running on Docker.`, {
      suggestion: `Start it with \`nexus workspace start ${workspace.name}\`.`,
    })
  }
  return details
}

export async function pauseWorkspace(deps: DockerDeps, workspace: Workspace): Promise<void> {
  await requireRunning(deps, workspace)
  const containers = await workspaceContainers(deps, workspace)
  await Promise.all(
    containers.filter((c) => c.State === 'running').map((c) => deps.engine.pauseContainer(c.Id)),
  )
}

export async function resumeWorkspace(deps: DockerDeps, workspace: Workspace): Promise<void> {
  await requireRunning(deps, workspace)
  const containers = await workspaceContainers(deps, workspace)
  await Promise.all(
    containers.filter((c) => c.State === 'paused').map((c) => deps.engine.unpauseContainer(c.Id)),
  )
}

export async function destroyWorkspace(
  deps: DockerDeps,
  workspace: Workspace,
  options: { removeVolumes: boolean; graceSeconds: number },
): Promise<void> {
  await stopWorkspace(deps, workspace, options.graceSeconds)
  const containers = await workspaceContainers(deps, workspace)
  await Promise.all(containers.map((container) => deps.engine.removeContainer(container.Id, { force: true })))
  const network = namesFor(workspace).network
  // A container nexus did not make (a debugger, a git server someone attached) would keep the network alive:
  // detach it, it keeps running.
  const attached = Object.keys((await deps.engine.inspectNetwork(network))?.Containers ?? {})
  await Promise.all(attached.map((container) => deps.engine.disconnectNetwork(network, container)))
  await deps.engine.removeNetwork(network)
  if (options.removeVolumes) {
    const volumes = await deps.engine.listVolumes([MANAGED_FILTER, workspaceFilter(workspace.id)])
    await Promise.all(volumes.map((volume) => deps.engine.removeVolume(volume.Name)))
  }
  await deps.store.remove(workspace.id)
}

export async function inspectWorkspace(deps: DockerDeps, workspace: Workspace): Promise<InspectResult> {
  const container = namesFor(workspace).container
  const details = await deps.engine.inspectContainer(container)
  if (!details) return { status: 'missing', detail: `Docker has no container named ${container}.` }
  const state = details.State
  if (state.OOMKilled && !state.Running)
    return {
      status: 'error',
      detail: `The container was killed for running out of memory (limit ${workspace.resources.memory} GiB).`,
    }
  const status = backendStatusOf(state.Status)
  if (status === 'running')
    return { status, detail: state.Health ? `running (sshd health: ${state.Health.Status})` : 'running' }
  if (state.Status === 'exited')
    return { status, detail: `exited with code ${state.ExitCode} at ${state.FinishedAt}` }
  return { status, detail: state.Status }
}

export async function listResources(deps: DockerDeps): Promise<BackendResource[]> {
  const containers = await deps.engine.listContainers([MANAGED_FILTER])
  return containers.map((container) => ({
    kind: container.Labels[LABELS.service] ? 'service-container' : 'container',
    id: container.Id,
    name: (container.Names[0] ?? container.Id).replace(/^\//, ''),
    workspaceId: container.Labels[LABELS.workspaceId] ?? null,
    status: backendStatusOf(container.State),
  }))
}
