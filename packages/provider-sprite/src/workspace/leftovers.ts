import type { LeftoverResource, NexusErrorLike, ProviderLeftovers } from '@nexus/core'
import type { SpriteDeps } from './deps.js'
import { listSprites } from './lifecycle.js'

/**
 * What `nexus workspace cleanup` may remove on Sprites: sprites this nexus home made (its `nexus-home-` label) for
 * a workspace it has no record of. Sprites of another machine in the same org, and sprites without a home label,
 * are never listed. Sprites carry no repository path, so `cleanup --repo-only` leaves them alone.
 */
export function spriteLeftovers(deps: SpriteDeps): ProviderLeftovers {
  return {
    async list(): Promise<LeftoverResource[]> {
      // Without a token there is no org to look in: nothing to clean, rather than a "skipped" line for every
      // cleanup of a user who never set Sprites up (doctor calls such a backend "not set up" too).
      if (!deps.api.hasToken) return []
      return (await listSprites(deps, true))
        .filter((sprite) => sprite.workspaceId !== null)
        .map((sprite) => ({ ...sprite, repoRoot: null }))
    },

    async remove(resource: LeftoverResource): Promise<void> {
      if (resource.kind !== 'sprite') return
      await deps.api
        .call(`delete sprite ${resource.name}`, (client) => client.deleteSprite(resource.name))
        .catch((error: unknown) => {
          if ((error as NexusErrorLike).details?.statusCode !== 404) throw error
        })
    },
  }
}
