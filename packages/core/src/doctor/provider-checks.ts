import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { BackendResource, Provider, ProviderRegistry } from '../provider/index.js'
import type { Workspace } from '../workspace/index.js'
import { checkWorkspaceDrift } from '../repair/detect.js'
import { withTimeout } from './guard.js'
import type { DoctorCheck } from './types.js'

const HEALTH_TIMEOUT_MS = 20_000

export async function checkProviderHealth(provider: Provider, inUse = true): Promise<DoctorCheck> {
  const id = `provider:${provider.name}`
  const health = await withTimeout(provider.health(), HEALTH_TIMEOUT_MS, `The ${provider.name} backend`)
  // An installed backend nobody uses here needs no credentials: say so, without failing the machine's check-up.
  if (!health.ok && health.configured === false && !inUse)
    return {
      id,
      status: 'ok',
      message: `Not set up (needed only to use ${provider.name}): ${health.message}`,
    }
  if (health.ok && health.details?.baseImagePresent === false) {
    const image =
      typeof health.details.baseImage === 'string' ? health.details.baseImage : 'the workspace image'
    return {
      id,
      status: 'warn',
      message: health.message,
      fix: `The first create fetches ${image}, which needs its registry; fetch or build it ahead of time to work offline.`,
    }
  }
  if (health.ok) return { id, status: 'ok', message: health.message }
  return {
    id,
    status: 'fail',
    message: health.message,
    fix: `Make the ${provider.name} backend reachable (e.g. start its engine or daemon), or set another default backend with \`nexus config set defaults.backend <name>\`.`,
  }
}

/** Backend resources whose workspace nexus has no record of. Workspaces whose resource is missing are not orphans. */
export function orphanedResources(resources: BackendResource[], workspaces: Workspace[]): BackendResource[] {
  const known = new Set(workspaces.map((w) => w.id))
  return resources.filter((r) => r.workspaceId === null || !known.has(r.workspaceId))
}

export async function checkOrphans(provider: Provider, workspaces: Workspace[]): Promise<DoctorCheck> {
  const id = `orphans:${provider.name}`
  const resources = await withTimeout(provider.list(), HEALTH_TIMEOUT_MS, `The ${provider.name} backend`)
  const orphans = orphanedResources(resources, workspaces)
  if (orphans.length === 0)
    return { id, status: 'ok', message: `No ${provider.name} resources without a workspace.` }
  const listed = orphans.map((r) => `${r.kind} ${r.name}`).join(', ')
  return {
    id,
    status: 'warn',
    message: `${orphans.length} ${provider.name} resource${orphans.length === 1 ? '' : 's'} belong to no known workspace: ${listed}.`,
    fix: 'Run `nexus workspace repair --all` if their records were lost (it adopts what it can), then `nexus workspace cleanup` to remove the rest (`--dry-run` lists first).',
  }
}

/**
 * One health check per backend, then an orphan check for each healthy backend that has workspaces here (or is
 * docker, whose leftovers outlive a deleted NEXUS_HOME). A provider that will not load fails its own check only.
 */
export async function checkProviders(
  registry: ProviderRegistry,
  workspaces: Workspace[],
  nexusHome?: string,
  defaultBackend?: string,
): Promise<DoctorCheck[]> {
  const perProvider = await Promise.all(
    registry.names().map(async (name): Promise<DoctorCheck[]> => {
      // A backend that keeps files under this home was used from it, even when no record names it any more.
      const inUse =
        name === 'docker' ||
        name === defaultBackend ||
        workspaces.some((w) => w.backend === name) ||
        (nexusHome !== undefined && existsSync(join(nexusHome, 'providers', name)))
      let provider: Provider
      let health: DoctorCheck
      try {
        provider = await registry.get(name)
        health = await checkProviderHealth(provider, inUse)
      } catch (error) {
        const suggestion = (error as { suggestion?: unknown }).suggestion
        return [
          {
            id: `provider:${name}`,
            status: 'fail',
            message: (error as Error).message.split('\n')[0] ?? String(error),
            fix:
              typeof suggestion === 'string'
                ? suggestion
                : `Make the ${name} backend reachable (e.g. start its engine), then run \`nexus doctor\` again.`,
          },
        ]
      }
      if (health.status === 'fail' || !inUse) return [health]
      try {
        return [
          health,
          await checkOrphans(provider, workspaces),
          await checkWorkspaceDrift(provider, workspaces),
        ]
      } catch (error) {
        return [
          health,
          {
            id: `orphans:${name}`,
            status: 'warn',
            message: `Could not list what the ${name} backend holds: ${(error as Error).message}`,
          },
        ]
      }
    }),
  )
  return perProvider.flat()
}
