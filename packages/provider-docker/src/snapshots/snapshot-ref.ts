import { NexusError, type JsonObject, type Workspace } from '@nexus/core'
import { LABELS, MANAGED_BY } from '../workspace/naming.js'

export const SNAPSHOT_IMAGE_REPO = 'nexus-snapshot'
/** On a snapshot's archive volumes: which workspace and snapshot they belong to. */
export const SNAPSHOT_LABELS = { of: 'dev.nexus.snapshot-of', snapshot: 'dev.nexus.snapshot' } as const

/** A workspace volume as it was captured, and the volume holding its copy. */
export interface ArchivedVolume {
  /** The volume's nexus name (`pgdata`, `cache`), from its `dev.nexus.volume` label. */
  volume: string
  /** The service that mounts it, for service volumes. */
  service: string | null
  /** Where it was attached in the workspace container, for `docker.volume.attach`ed volumes. */
  mount: string | null
  archive: string
}

/** What the Docker backend keeps of a snapshot: the committed container and the volume copies. */
export interface DockerSnapshotRef {
  image: string
  imageId: string
  /** The workspace user the image was made for. */
  user: string
  volumes: ArchivedVolume[]
}

/** The workspace id without dashes, cut short: enough to keep snapshots of different workspaces apart. */
function shortId(workspace: Pick<Workspace, 'id'>): string {
  return workspace.id.replace(/-/g, '').slice(0, 12)
}

export function snapshotImageTag(workspace: Pick<Workspace, 'id'>, snapshot: string): string {
  return `${SNAPSHOT_IMAGE_REPO}:${shortId(workspace)}-${snapshot}`
}

export function archiveVolumeName(
  workspace: Pick<Workspace, 'id'>,
  snapshot: string,
  volume: string,
): string {
  return `${SNAPSHOT_IMAGE_REPO}-${shortId(workspace)}-${snapshot}-${volume}`
}

/** Labels of a snapshot's image and volumes; the user's workspace labels ride along so label-based cleanup finds them. */
export function snapshotLabels(
  workspace: Pick<Workspace, 'id' | 'labels'>,
  snapshot: string,
): Record<string, string> {
  const labels: Record<string, string> = {
    [LABELS.managedBy]: MANAGED_BY,
    [SNAPSHOT_LABELS.of]: workspace.id,
    [SNAPSHOT_LABELS.snapshot]: snapshot,
  }
  for (const [key, value] of Object.entries(workspace.labels ?? {}))
    labels[`${LABELS.userLabel}${key}`] = value
  return labels
}

export function toJson(ref: DockerSnapshotRef): JsonObject {
  return {
    image: ref.image,
    imageId: ref.imageId,
    user: ref.user,
    volumes: ref.volumes.map((volume) => ({ ...volume })),
  }
}

/** Reads a ref back from core's record, refusing one that was not made by this backend. */
export function parseRef(ref: JsonObject): DockerSnapshotRef {
  const { image, imageId, user, volumes } = ref
  const volumesOk =
    Array.isArray(volumes) &&
    volumes.every(
      (volume) =>
        typeof volume === 'object' &&
        volume !== null &&
        !Array.isArray(volume) &&
        typeof volume.volume === 'string' &&
        typeof volume.archive === 'string',
    )
  if (typeof image !== 'string' || typeof imageId !== 'string' || typeof user !== 'string' || !volumesOk) {
    throw new NexusError(
      'STATE_CORRUPT',
      `A Docker snapshot reference is malformed: ${JSON.stringify(ref)}.`,
      {
        suggestion:
          'Delete the snapshot (`nexus workspace snapshot delete <workspace> <snapshot>`) and take it again.',
      },
    )
  }
  return { image, imageId, user, volumes: volumes as unknown as ArchivedVolume[] }
}
