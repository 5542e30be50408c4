import type { ProviderSnapshots } from '@nexus/core'
import type { DockerDeps } from '../workspace/provision.js'
import { captureSnapshot } from './capture.js'
import { createFromSnapshot, restoreSnapshot } from './restore.js'
import { removeSnapshotParts } from './retire.js'
import { parseRef } from './snapshot-ref.js'

export { sweepRetiredImages } from './retire.js'
export { SNAPSHOT_IMAGE_REPO, SNAPSHOT_LABELS, snapshotImageTag, archiveVolumeName } from './snapshot-ref.js'

/**
 * The Docker part of core snapshots: the container's root filesystem as a committed image, each named volume as a
 * volume copy. Core captures the worktree (a bind mount, so not in the image) in git.
 */
export function dockerSnapshots(deps: DockerDeps): ProviderSnapshots {
  return {
    create: (workspace, request) => captureSnapshot(deps, workspace, request),
    restore: (workspace, ref) => restoreSnapshot(deps, workspace, parseRef(ref)),
    delete: (_workspace, ref) => removeSnapshotParts(deps, parseRef(ref)),
    createFrom: (request, ref) => createFromSnapshot(deps, request, parseRef(ref)),
  }
}
