import { NexusError, type JsonObject, type OperationParams, type Workspace } from '@nexus/core'
import { LABELS, MANAGED_BY, MANAGED_FILTER, namesFor, repoSlug } from '../workspace/naming.js'
import type { DockerDeps } from '../workspace/provision.js'

export async function buildImage(deps: DockerDeps, params: OperationParams): Promise<JsonObject> {
  const base = typeof params.base === 'string' && params.base ? params.base : deps.config.baseImage
  const started = deps.clock.now()
  const image = await deps.images.ensure(
    { kind: 'base', reference: base },
    { dir: process.cwd(), name: 'provider' },
    { rebuild: true },
  )
  return {
    image: image.tag,
    id: image.id,
    base,
    user: image.user,
    seconds: Math.round((deps.clock.now() - started) / 100) / 10,
  }
}

/** `repo[:tag]` → parts; a colon inside the last path segment is the tag, one before it is a registry port. */
export function splitReference(reference: string): { repo: string; tag: string } {
  const slash = reference.lastIndexOf('/')
  const colon = reference.lastIndexOf(':')
  if (colon > slash) return { repo: reference.slice(0, colon), tag: reference.slice(colon + 1) }
  return { repo: reference, tag: 'latest' }
}

export async function cacheImage(
  deps: DockerDeps,
  workspace: Workspace,
  params: OperationParams,
): Promise<JsonObject> {
  const names = namesFor(workspace)
  const service = typeof params.from === 'string' && params.from ? params.from : undefined
  const container = service ? names.service(service) : names.container
  if (!(await deps.engine.inspectContainer(container))) {
    throw new NexusError('WORKSPACE_NOT_RUNNING', `Docker has no container ${container} to commit.`, {
      suggestion: service
        ? `Check the service name in your config, and start the workspace (\`nexus workspace start ${workspace.name}\`).`
        : `Start the workspace first: \`nexus workspace start ${workspace.name}\`.`,
    })
  }
  const to =
    typeof params.to === 'string' && params.to
      ? params.to
      : `nexus-cache/${repoSlug(workspace.repoRoot)}-${workspace.name}:latest`
  const { repo, tag } = splitReference(to)
  const id = await deps.engine.commitContainer(container, {
    repo,
    tag,
    labels: { [LABELS.managedBy]: MANAGED_BY, [LABELS.image]: 'cache', [LABELS.workspaceId]: workspace.id },
  })
  return {
    image: `${repo}:${tag}`,
    id,
    from: container,
    hint: `Use it for a new workspace with --image ${repo}:${tag}.`,
  }
}

export async function pruneImages(deps: DockerDeps): Promise<JsonObject> {
  const { removed, reclaimedBytes } = await deps.engine.pruneImages([MANAGED_FILTER])
  return { removed, reclaimedBytes }
}
