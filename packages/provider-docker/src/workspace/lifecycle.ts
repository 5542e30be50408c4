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
import { WORKSPACE_IMAGE_REPO, workspaceUserFor } from '../image/builder.js'
import { provisionServices, startServices } from '../services/runtime.js'
import { publishesPorts, workspacePortBindings } from './container-spec.js'
import { terminateWorkspaceProcesses } from './graceful-stop.js'
import { withMountErrors } from './mount-errors.js'
import { LABELS, MANAGED_FILTER, namesFor, workspaceFilter } from './naming.js'
import { memoryLimitText, outOfMemoryMessage, outOfMemorySuggestion } from './out-of-memory.js'
import {
  ensureWorkspaceImage,
  provisionAll,
  servicesOf,
  storedSpecFor,
  type DockerDeps,
} from './provision.js'
import { killedForMemory, waitForWorkspaceSshd } from './sshd-wait.js'

export { waitForWorkspaceSshd } from './sshd-wait.js'

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
 * Builds the workspace image again when it was removed (`docker rmi -f`, a prune) while the container was stopped.
 * The container itself still starts — it holds the layers it was made from — and keeps its root filesystem; the
 * image is what the next recreate (new ports, a volume attached) is made from.
 */
async function rebuildLostImage(
  deps: DockerDeps,
  workspace: Workspace,
  details: ContainerDetails,
  warnings: string[],
): Promise<void> {
  const image = details.Config.Image
  if (!image.startsWith(`${WORKSPACE_IMAGE_REPO}:`) || (await deps.engine.inspectImage(image))) return
  const stored = await storedSpecFor(deps, workspace, warnings)
  const rebuilt = await ensureWorkspaceImage(deps, workspace, stored)
  warnings.push(`The workspace image ${image} was gone; it was rebuilt as ${rebuilt.tag}.`)
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
  } else {
    await rebuildLostImage(deps, workspace, details, warnings)
    if (services.length > 0) await provisionServices(deps.engine, deps.reporter, workspace, services)
  }
  const timeoutMs = deps.config.startTimeoutSeconds * 1000
  const [servicesHealthy] = await Promise.all([
    startServices(deps.engine, workspace, services, timeoutMs, deps.clock),
    withMountErrors(workspace, deps.engine.location, () => deps.engine.startContainer(names.container)),
  ])
  await waitForWorkspaceSshd(deps, workspace)
  await servicesHealthy()
  return { backendRef: backendRefOf(deps, workspace, containerId), ...(warnings.length ? { warnings } : {}) }
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
        const isWorkspace = !container.Labels[LABELS.service]
        const left = isWorkspace
          ? await terminateWorkspaceProcesses(deps, workspace, graceSeconds)
          : graceSeconds
        await deps.engine.stopContainer(container.Id, left)
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
  if (killedForMemory(details))
    return {
      status: 'error',
      detail: `${outOfMemoryMessage(workspace, 'The container')} ${outOfMemorySuggestion(workspace)}`,
    }
  const status = backendStatusOf(state.Status)
  if (status === 'running') {
    const health = state.Health ? `running (sshd health: ${state.Health.Status})` : 'running'
    const kills = await deps.engine
      .oomKillsSince(details.Id, Date.parse(state.StartedAt) / 1000)
      .catch(() => 0)
    if (kills === 0) return { status, detail: health }
    // The container lives on (its init outlasts the killed process), but whatever the user ran did not.
    const times = kills === 1 ? 'once' : `${kills} times`
    return {
      status,
      detail: `${health}; the kernel killed a process in it for running out of memory (limit ${memoryLimitText(workspace)}) ${times} since it started. ${outOfMemorySuggestion(workspace)}`,
    }
  }
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
