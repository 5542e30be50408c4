import { describeError } from '../errors/index.js'
import { removeStaleLock } from '../repair/index.js'
import { knownWorkspaceIds } from './known.js'
import { orphansOf } from './plan.js'
import type { CleanupDeps, CleanupItem, CleanupOptions, CleanupPlan, CleanupResult } from './types.js'

type Outcome = CleanupResult['items'][number]

/** A plan as a dry run reports it: every item `planned`. */
export function dryRunResult(plan: CleanupPlan): CleanupResult {
  return {
    dryRun: true,
    items: plan.items.map((item) => ({ ...item, outcome: 'planned' })),
    skipped: plan.skipped,
  }
}

/**
 * `nexus workspace cleanup`, second half: removes what the plan listed. Each resource is checked again first — a
 * workspace created meanwhile may have claimed it, and then it stays.
 */
export async function executeCleanup(
  deps: CleanupDeps,
  plan: CleanupPlan,
  options: CleanupOptions = {},
): Promise<CleanupResult> {
  const items: Outcome[] = []
  for (const item of plan.items.filter((i) => i.kind === 'reservation'))
    items.push(await releaseReservation(deps, item))
  const known = await knownWorkspaceIds(deps)
  const backends = [
    ...new Set(plan.items.flatMap((i) => (i.kind === 'resource' && i.backend ? [i.backend] : []))),
  ]
  for (const backend of backends) {
    const planned = plan.items.filter((i) => i.kind === 'resource' && i.backend === backend)
    try {
      const provider = await deps.registry.get(backend)
      const leftovers = provider.leftovers
      if (!leftovers) continue
      const current = await orphansOf(provider, known, options)
      for (const item of planned) {
        const resource = current.find((r) => r.id === item.id && r.kind === item.what)
        if (!resource) {
          const claimed = item.workspaceId !== null && known.has(item.workspaceId)
          items.push({
            ...item,
            outcome: claimed ? 'kept' : 'removed',
            note: claimed ? 'a workspace claimed it meanwhile' : 'already gone',
          })
          continue
        }
        items.push(
          await leftovers.remove(resource).then(
            (): Outcome => ({ ...item, outcome: 'removed' }),
            (error: unknown): Outcome => ({ ...item, outcome: 'failed', note: describeError(error) }),
          ),
        )
      }
    } catch (error) {
      for (const item of planned) items.push({ ...item, outcome: 'failed', note: describeError(error) })
    }
  }
  for (const item of plan.items.filter((i) => i.kind === 'lock')) {
    const removed = await removeStaleLock(deps.state.paths.locks, item.name)
    items.push({
      ...item,
      outcome: removed ? 'removed' : 'kept',
      ...(removed ? {} : { note: 'another command holds it now' }),
    })
  }
  return { dryRun: false, items, skipped: plan.skipped }
}

async function releaseReservation(deps: CleanupDeps, item: CleanupItem): Promise<Outcome> {
  const record = await deps.state.get(item.id)
  if (!record) return { ...item, outcome: 'removed', note: 'already gone' }
  try {
    const provider = await deps.registry.get(record.backend)
    // Whatever the backend still holds for it goes too; a backend that cannot be reached must not keep the ports.
    await provider.destroy(record).catch(() => undefined)
  } catch {
    // An uninstalled backend holds nothing nexus could remove.
  }
  await deps.state.remove(record.id)
  return { ...item, outcome: 'removed' }
}
