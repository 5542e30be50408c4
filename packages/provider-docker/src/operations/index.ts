import { NexusError, type JsonValue, type OperationRequest, type Workspace } from '@nexus/core'
import type { DockerDeps } from '../workspace/provision.js'
import { buildImage, cacheImage, pruneImages } from './images.js'
import { connectNetwork, createNetwork, disconnectNetwork } from './networks.js'
import { attachVolume, createVolume, deleteVolume, detachVolume } from './volumes.js'

export { DOCKER_OPERATIONS } from './descriptors.js'

function requireWorkspace(request: OperationRequest): Workspace {
  if (request.workspace) return request.workspace
  throw new NexusError('INVALID_ARGUMENT', `Operation ${request.id} works on a workspace; name one.`, {
    suggestion: 'Run it as `nexus workspace provider docker … <workspace>`.',
  })
}

/** Runs one escape hatch; core has already checked the capability and validated the params. */
export async function runDockerOperation(deps: DockerDeps, request: OperationRequest): Promise<JsonValue> {
  const { params } = request
  switch (request.id) {
    case 'docker.volume.create':
      return createVolume(deps, requireWorkspace(request), params)
    case 'docker.volume.attach':
      return attachVolume(deps, requireWorkspace(request), params)
    case 'docker.volume.detach':
      return detachVolume(deps, requireWorkspace(request), params)
    case 'docker.volume.delete':
      return deleteVolume(deps, requireWorkspace(request), params)
    case 'docker.image.build':
      return buildImage(deps, params)
    case 'docker.image.cache':
      return cacheImage(deps, requireWorkspace(request), params)
    case 'docker.image.prune':
      return pruneImages(deps)
    case 'docker.network.create':
      return createNetwork(deps, params)
    case 'docker.network.connect':
      return connectNetwork(deps, requireWorkspace(request), params)
    case 'docker.network.disconnect':
      return disconnectNetwork(deps, requireWorkspace(request), params)
    default:
      throw new NexusError('OPERATION_NOT_FOUND', `The docker backend has no operation "${request.id}".`, {
        suggestion: 'See the operations with `nexus provider info docker`.',
      })
  }
}
