import { NexusError, type SnapshotCreated, type SnapshotRequest, type Workspace } from '@nexus/core'
import { workspaceUserFor } from '../image/builder.js'
import { LABELS, MANAGED_FILTER, namesFor, workspaceFilter } from '../workspace/naming.js'
import { storedSpecFor, type DockerDeps } from '../workspace/provision.js'
import { removeSnapshotParts } from './retire.js'
import {
  SNAPSHOT_IMAGE_REPO,
  archiveVolumeName,
  snapshotImageTag,
  snapshotLabels,
  toJson,
  type ArchivedVolume,
  type DockerSnapshotRef,
} from './snapshot-ref.js'
import { copyVolumes } from './volume-copy.js'

/** The workspace's named volumes (its services' and those made with `docker.volume.create`). */
async function volumesOf(
  deps: DockerDeps,
  workspace: Workspace,
): Promise<Array<{ dockerVolume: string; volume: string; service: string | null }>> {
  const volumes = await deps.engine.listVolumes([MANAGED_FILTER, workspaceFilter(workspace.id)])
  return volumes.flatMap((volume) => {
    const name = volume.Labels?.[LABELS.volume]
    return name
      ? [{ dockerVolume: volume.Name, volume: name, service: volume.Labels[LABELS.service] ?? null }]
      : []
  })
}

/** Freezes the workspace's running containers; the returned function thaws exactly those. */
async function freeze(deps: DockerDeps, workspace: Workspace): Promise<() => Promise<void>> {
  const running = (await deps.engine.listContainers([MANAGED_FILTER, workspaceFilter(workspace.id)])).filter(
    (container) => container.State === 'running',
  )
  await Promise.all(running.map((container) => deps.engine.pauseContainer(container.Id)))
  return async () => {
    await Promise.all(running.map((container) => deps.engine.unpauseContainer(container.Id)))
  }
}

/** What the committed layer adds to the image the container ran. */
async function layerBytes(deps: DockerDeps, imageId: string, parent: string): Promise<number> {
  const [image, base] = await Promise.all([
    deps.engine.inspectImage(imageId),
    deps.engine.inspectImage(parent),
  ])
  return Math.max(0, (image?.Size ?? 0) - (base?.Size ?? 0))
}

/**
 * Commits the workspace container to `nexus-snapshot:<id>-<snapshot>` and copies each named volume into a volume of
 * the snapshot's own. All the workspace's containers are paused meanwhile, so the root filesystem and the volumes
 * (a service's database included) are captured at one moment.
 */
export async function captureSnapshot(
  deps: DockerDeps,
  workspace: Workspace,
  request: SnapshotRequest,
): Promise<SnapshotCreated> {
  const container = namesFor(workspace).container
  const details = await deps.engine.inspectContainer(container)
  if (!details) {
    throw new NexusError('WORKSPACE_NOT_RUNNING', `Docker has no container ${container} to snapshot.`, {
      suggestion: `Start the workspace (\`nexus workspace start ${workspace.name}\`), which recreates it, then snapshot again.`,
    })
  }
  const stored = await storedSpecFor(deps, workspace, [])
  const volumes = await volumesOf(deps, workspace)
  const labels = snapshotLabels(workspace, request.name)
  const archived: ArchivedVolume[] = volumes.map((volume) => ({
    volume: volume.volume,
    service: volume.service,
    mount: stored.volumes.find((attached) => attached.dockerVolume === volume.dockerVolume)?.mount ?? null,
    archive: archiveVolumeName(workspace, request.name, volume.volume),
  }))
  const image = snapshotImageTag(workspace, request.name)
  const partial: DockerSnapshotRef = {
    image,
    imageId: '',
    user: workspaceUserFor(deps.identity),
    volumes: archived,
  }
  try {
    await Promise.all(
      archived.map((volume) =>
        deps.engine.createVolume(volume.archive, { ...labels, [LABELS.volume]: volume.volume }),
      ),
    )
    const thaw = await freeze(deps, workspace)
    let imageId: string
    let volumeSizes: number[]
    try {
      ;[imageId, volumeSizes] = await Promise.all([
        deps.engine.commitContainer(container, {
          repo: SNAPSHOT_IMAGE_REPO,
          tag: image.slice(SNAPSHOT_IMAGE_REPO.length + 1),
          labels: { ...labels, [LABELS.image]: 'snapshot' },
        }),
        // The helper runs on the image the container already has: it is local, and has a shell, cp and du.
        copyVolumes(
          deps,
          details.Image,
          archived.map((volume, i) => ({
            from: volumes[i]?.dockerVolume ?? '',
            to: volume.archive,
            replace: false,
          })),
        ),
      ])
    } finally {
      await thaw()
    }
    const ref: DockerSnapshotRef = { ...partial, imageId }
    const bytes =
      (await layerBytes(deps, imageId, details.Image)) + volumeSizes.reduce((sum, size) => sum + size, 0)
    return { ref: toJson(ref), sizeBytes: bytes }
  } catch (error) {
    await removeSnapshotParts(deps, partial).catch(() => undefined)
    throw error
  }
}
