import type { BackendResource, LeftoverResource, ProviderLeftovers } from '@nexus/core'
import { isNexusNotFound, type Sandboxes } from './sandboxes.js'
import type { SshAccess } from './ssh.js'

/**
 * What `nexus workspace cleanup` may remove on Daytona: sandboxes this nexus home made (its `nexus.home` label) for a
 * workspace it has no record of. Another machine's or person's sandboxes in the same organisation carry another
 * home label and are never listed. Sandboxes carry no repository path (no local path reaches Daytona), so
 * `cleanup --repo-only` leaves them alone.
 */
export function daytonaLeftovers(
  sandboxes: Sandboxes,
  ssh: SshAccess,
  list: () => Promise<BackendResource[]>,
): ProviderLeftovers {
  return {
    async list(): Promise<LeftoverResource[]> {
      // Without a key there is no account to look in: nothing to clean, rather than a "skipped" line for every
      // cleanup of a user who never set Daytona up (doctor calls such a backend "not set up" too).
      if (!sandboxes.deps.config.apiKey) return []
      return (await list())
        .filter((sandbox) => sandbox.workspaceId !== null)
        .map((sandbox) => ({ ...sandbox, repoRoot: null }))
    },

    async remove(resource: LeftoverResource): Promise<void> {
      if (resource.kind !== 'sandbox') return
      await sandboxes
        .call(`delete the leftover sandbox ${resource.name}`, undefined, async (daytona) => {
          const sandbox = await daytona.get(resource.id)
          await sandbox.delete()
        })
        .catch((error: unknown) => {
          if (!isNexusNotFound(error)) throw error
        })
      await ssh.forget(resource.id)
    },
  }
}
