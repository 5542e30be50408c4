import type Dockerode from 'dockerode'
import type { LeftoverResource, Provider, ProviderLeftovers } from '@nexus/core'
import { createModem, loadDockerode } from './engine/dockerode-parts.js'
import type { Engine } from './engine/engine.js'
import { toNexusError } from './engine/errors.js'
import type { EngineEndpoint } from './engine/host.js'
import { backendStatusOf } from './workspace/lifecycle.js'
import { LABELS, MANAGED_FILTER } from './workspace/naming.js'
import { WorkspaceStore } from './workspace/store.js'

type Labels = Record<string, string> | undefined | null

function owner(labels: Labels): { workspaceId: string | null; repoRoot: string | null } {
  return { workspaceId: labels?.[LABELS.workspaceId] ?? null, repoRoot: labels?.[LABELS.repo] ?? null }
}

/**
 * What `nexus workspace cleanup` may remove on Docker: the containers, networks and volumes labelled with a
 * workspace id, and dangling (untagged) nexus images no container uses. Listing networks and images needs calls the
 * Engine interface does not have, so this opens its own client over the same endpoint, only when cleanup runs.
 */
export function dockerLeftovers(
  engine: Engine,
  store: WorkspaceStore,
  endpoint: () => EngineEndpoint,
): ProviderLeftovers {
  let client: Promise<Dockerode> | undefined
  const docker = () => (client ??= loadDockerode(createModem(endpoint().options)))
  const call = async <T>(doing: string, fn: (d: Dockerode) => Promise<T>): Promise<T> => {
    try {
      return await fn(await docker())
    } catch (error) {
      throw toNexusError(error, doing, engine.location)
    }
  }

  return {
    async list() {
      const [containers, everyContainer, networks, volumes, images] = await Promise.all([
        engine.listContainers([MANAGED_FILTER]),
        engine.listContainers([]),
        call('list networks', (d) => d.listNetworks({ filters: { label: [MANAGED_FILTER] } })),
        engine.listVolumes([MANAGED_FILTER]),
        call('list images', (d) =>
          d.listImages({ filters: { dangling: ['true'], label: [MANAGED_FILTER] } }),
        ),
      ])
      const inUse = new Set(everyContainer.map((c) => c.ImageID))
      // Containers first: a network or volume cannot go while a container still uses it.
      const found: LeftoverResource[] = [
        ...containers.map((c) => ({
          kind: c.Labels[LABELS.service] ? 'service-container' : 'container',
          id: c.Id,
          name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
          status: backendStatusOf(c.State),
          ...owner(c.Labels),
        })),
        ...networks.map((n) => ({
          kind: 'network',
          id: n.Id,
          name: n.Name,
          status: 'stopped' as const,
          ...owner(n.Labels),
        })),
        ...volumes.map((v) => ({
          kind: 'volume',
          id: v.Name,
          name: v.Name,
          status: 'stopped' as const,
          ...owner(v.Labels),
        })),
      ].filter((r) => r.workspaceId !== null)
      for (const image of images) {
        if (inUse.has(image.Id)) continue
        found.push({
          kind: 'image',
          id: image.Id,
          name: image.Id.replace(/^sha256:/, '').slice(0, 12),
          status: 'stopped',
          workspaceId: null,
          repoRoot: null,
        })
      }
      return found
    },

    async remove(resource) {
      switch (resource.kind) {
        case 'container':
        case 'service-container':
          await engine.removeContainer(resource.id, { force: true })
          if (resource.workspaceId && resource.kind === 'container') await store.remove(resource.workspaceId)
          return
        case 'network': {
          // A container nexus did not make may still be attached: detach it, it keeps running.
          const attached = Object.keys((await engine.inspectNetwork(resource.id))?.Containers ?? {})
          await Promise.all(attached.map((container) => engine.disconnectNetwork(resource.id, container)))
          await engine.removeNetwork(resource.id)
          return
        }
        case 'volume':
          await engine.removeVolume(resource.id)
          return
        case 'image':
          await engine.removeImage(resource.id)
          return
        default:
          return
      }
    },
  }
}

/** Gives a Docker provider its cleanup support (one line in provider.ts). */
export function withLeftovers<P extends Provider>(
  provider: P,
  parts: { engine: Engine; nexusHome: string; endpoint: () => EngineEndpoint },
): P {
  const leftovers = dockerLeftovers(parts.engine, new WorkspaceStore(parts.nexusHome), parts.endpoint)
  return Object.assign(provider, { leftovers })
}
