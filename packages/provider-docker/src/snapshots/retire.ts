import { engineStatusOf } from '../engine/errors.js'
import type { DockerDeps } from '../workspace/provision.js'
import { SNAPSHOT_IMAGE_REPO, type DockerSnapshotRef } from './snapshot-ref.js'

const RETIRED_PREFIX = 'retired-'

/**
 * Removes a snapshot's image and volume copies. An image still in use — by a container restored from it, or under
 * a later snapshot committed on top of it — cannot be deleted, and Docker only untags an image that has another tag:
 * so it is given a `retired-` tag first, and retired images are removed once nothing uses them (see
 * {@link sweepRetiredImages}).
 */
export async function removeSnapshotParts(deps: DockerDeps, ref: DockerSnapshotRef): Promise<void> {
  await Promise.all(ref.volumes.map((volume) => deps.engine.removeVolume(volume.archive)))
  try {
    await deps.engine.removeImage(ref.image)
  } catch (error) {
    if (engineStatusOf(error) !== 409 || !ref.imageId) throw error
    await deps.engine.tagImage(
      ref.imageId,
      SNAPSHOT_IMAGE_REPO,
      `${RETIRED_PREFIX}${ref.imageId.replace(/^sha256:/, '').slice(0, 12)}`,
    )
    await deps.engine.removeImage(ref.image)
  }
  await sweepRetiredImages(deps)
}

/** Deletes the retired snapshot images that nothing uses any more; the rest wait for the next sweep. */
export async function sweepRetiredImages(deps: DockerDeps): Promise<void> {
  const prefix = `${SNAPSHOT_IMAGE_REPO}:${RETIRED_PREFIX}`
  let tags = (await deps.engine.listImageTags(`${prefix}*`)).filter((tag) => tag.startsWith(prefix))
  // Removing an image can free its parent, itself retired: go round until a pass removes nothing.
  while (tags.length > 0) {
    const kept: string[] = []
    for (const tag of tags) {
      const removed = await deps.engine.removeImage(tag).catch((error: unknown) => {
        if (engineStatusOf(error) !== 409) throw error
        return false
      })
      if (!removed) kept.push(tag)
    }
    if (kept.length === tags.length) return
    tags = kept
  }
}
