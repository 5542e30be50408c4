import { existsSync } from 'node:fs'
import { withTimeout } from '../doctor/guard.js'
import { describeError } from '../errors/index.js'
import type { LeftoverResource, Provider } from '../provider/index.js'
import { staleLocks } from '../repair/index.js'
import type { Workspace } from '../workspace/index.js'
import { knownWorkspaceIds } from './known.js'
import type { CleanupDeps, CleanupItem, CleanupOptions, CleanupPlan } from './types.js'

const LIST_TIMEOUT_MS = 20_000

/** Records that hold a port block for nothing: their repository is gone, or they say `destroyed`. */
export function staleReservations(records: Workspace[]): Workspace[] {
  return records.filter((w) => w.status === 'destroyed' || !existsSync(w.repoRoot))
}

/** What a backend holds that belongs to no known workspace, in the order to remove it. */
export async function orphansOf(
  provider: Provider,
  known: Set<string>,
  options: CleanupOptions,
): Promise<LeftoverResource[]> {
  const listed = provider.leftovers
    ? await withTimeout(provider.leftovers.list(), LIST_TIMEOUT_MS, `The ${provider.name} backend`)
    : []
  return listed.filter(
    (r) =>
      (r.workspaceId === null || !known.has(r.workspaceId)) &&
      (options.repoRoot === undefined || r.repoRoot === undefined || r.repoRoot === options.repoRoot),
  )
}

function resourceItem(backend: string, r: LeftoverResource): CleanupItem {
  return {
    kind: 'resource',
    backend,
    what: r.kind,
    id: r.id,
    name: r.name,
    workspaceId: r.workspaceId,
    reason: r.workspaceId
      ? `made for workspace ${r.workspaceId}, which nexus has no record of`
      : 'a nexus leftover that no workspace uses',
  }
}

/**
 * `nexus workspace cleanup`, first half: finds the leftovers without touching anything, so they can be listed
 * (and confirmed) before any is removed.
 */
export async function planCleanup(deps: CleanupDeps, options: CleanupOptions = {}): Promise<CleanupPlan> {
  const records = await deps.state.list()
  const known = await knownWorkspaceIds(deps)
  const items: CleanupItem[] = []
  const skipped: string[] = []
  for (const w of staleReservations(records)) {
    if (options.repoRoot !== undefined && w.repoRoot !== options.repoRoot) continue
    known.delete(w.id)
    items.push({
      kind: 'reservation',
      backend: w.backend,
      what: 'ports',
      id: w.id,
      name: `${w.name} (ports ${w.portBlockStart}–${w.portBlockStart + 9})`,
      workspaceId: w.id,
      reason:
        w.status === 'destroyed' ? 'its workspace was destroyed' : `its repository ${w.repoRoot} is gone`,
    })
  }
  for (const name of deps.registry.names()) {
    try {
      const provider = await deps.registry.get(name)
      if (!provider.leftovers) continue
      for (const r of await orphansOf(provider, known, options)) items.push(resourceItem(name, r))
    } catch (error) {
      skipped.push(`${name}: ${describeError(error)}`)
    }
  }
  for (const lock of await staleLocks(deps.state.paths.locks)) {
    items.push({
      kind: 'lock',
      backend: null,
      what: 'lock',
      id: lock.path,
      name: lock.key,
      workspaceId: null,
      reason: `left by a command that died (untouched for ${Math.round(lock.ageMs / 1000)} s)`,
    })
  }
  return { items, skipped }
}
