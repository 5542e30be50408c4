import { NexusError, type JsonObject, type OperationParams, type Workspace } from '@nexus/core'
import { LABELS, MANAGED_BY, namesFor } from '../workspace/naming.js'
import { storedSpecFor, type DockerDeps } from '../workspace/provision.js'

const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

function networkParam(params: OperationParams): string {
  const network = String(params.network ?? '')
  if (!NETWORK_NAME.test(network)) {
    throw new NexusError('INVALID_ARGUMENT', `"${network}" is not a valid network name.`, {
      suggestion: 'Use letters, digits, dots, dashes and underscores, starting with a letter or digit.',
    })
  }
  return network
}

export async function createNetwork(deps: DockerDeps, params: OperationParams): Promise<JsonObject> {
  const network = networkParam(params)
  if (await deps.engine.inspectNetwork(network)) return { network, created: false }
  const id = await deps.engine.createNetwork(network, {
    [LABELS.managedBy]: MANAGED_BY,
    'dev.nexus.shared-network': 'true',
  })
  return { network, id, created: true }
}

async function requireContainer(deps: DockerDeps, workspace: Workspace): Promise<string> {
  const container = namesFor(workspace).container
  if (!(await deps.engine.inspectContainer(container))) {
    throw new NexusError(
      'WORKSPACE_NOT_RUNNING',
      `Workspace "${workspace.name}" has no container on Docker.`,
      {
        suggestion: `Start it with \`nexus workspace start ${workspace.name}\` (that recreates it).`,
      },
    )
  }
  return container
}

export async function connectNetwork(
  deps: DockerDeps,
  workspace: Workspace,
  params: OperationParams,
): Promise<JsonObject> {
  const network = networkParam(params)
  if (!(await deps.engine.inspectNetwork(network))) {
    throw new NexusError('INVALID_ARGUMENT', `Docker has no network named ${network}.`, {
      suggestion: `Create it with \`nexus workspace provider docker network create ${network}\`.`,
    })
  }
  const container = await requireContainer(deps, workspace)
  await deps.engine.connectNetwork(network, container, [workspace.name])
  const stored = await storedSpecFor(deps, workspace, [])
  if (!stored.networks.includes(network)) {
    stored.networks = [...stored.networks, network]
    await deps.store.write(workspace.id, stored)
  }
  return { network, container, connected: true, alias: workspace.name }
}

export async function disconnectNetwork(
  deps: DockerDeps,
  workspace: Workspace,
  params: OperationParams,
): Promise<JsonObject> {
  const network = networkParam(params)
  if (network === namesFor(workspace).network) {
    throw new NexusError(
      'INVALID_ARGUMENT',
      `${network} is the workspace's own network; its services are reached through it.`,
      {
        suggestion:
          'Disconnect only networks connected with `nexus workspace provider docker network connect`.',
      },
    )
  }
  const container = await requireContainer(deps, workspace)
  await deps.engine.disconnectNetwork(network, container)
  const stored = await storedSpecFor(deps, workspace, [])
  const wasRecorded = stored.networks.includes(network)
  if (wasRecorded) {
    stored.networks = stored.networks.filter((name) => name !== network)
    await deps.store.write(workspace.id, stored)
  }
  return { network, container, disconnected: true }
}
