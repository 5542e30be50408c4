import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { withTimeout } from '../doctor/guard.js'
import { ERROR_CODES, NexusError, hasErrorCode, type ErrorCode } from '../errors/index.js'
import type { ManagerDeps } from '../manager/index.js'
import { resolveWorkspace } from '../manager/records.js'
import { tracked } from '../manager/track.js'
import type { BackendResource } from '../provider/index.js'
import { WORKTREES_DIR, findRepository } from '../worktree/index.js'
import type { Workspace } from '../workspace/index.js'
import { act, keep } from './act.js'
import { LOCK_STALE_MS, removeStaleLock, staleLocks } from './locks.js'
import { rebuildRecords } from './rebuild.js'
import { repairRecord } from './record.js'
import { fromEvents } from './salvage.js'
import type { RepairContext, RepairOptions, RepairReport } from './types.js'
import { worktreePresent } from './worktree-parts.js'

const LIST_TIMEOUT_MS = 20_000

/**
 * `nexus workspace repair`: reconciles each workspace's record with its worktree, branch and backend, finishes or
 * rolls back what a killed command left half-done, rebuilds or quarantines unreadable records, and removes locks
 * whose holder is dead. Every finding is reported with what was done about it; a dry run only reports.
 */
export function repairWorkspaces(deps: ManagerDeps, options: RepairOptions = {}): Promise<RepairReport> {
  const operation = options.dryRun ? 'repair --dry-run' : 'repair'
  return tracked(deps, operation, { name: options.name ?? '' }, () => repair(deps, options))
}

async function repair(deps: ManagerDeps, options: RepairOptions): Promise<RepairReport> {
  const ctx: RepairContext = { deps, dryRun: options.dryRun ?? false, actions: [] }
  const currentRepo = await findRepository(deps.cwd).then(
    (repo) => repo.repoRoot,
    () => undefined,
  )
  const records = await deps.state.list()
  const unreadable = [...deps.state.unreadable]
  let targets = records
  if (options.name !== undefined) targets = await named(deps, options.name, currentRepo)
  const resources = await backendResources(deps, records)
  const rebuilt = await rebuildRecords(ctx, {
    currentRepo,
    records,
    unreadable: options.name === undefined ? unreadable : [],
    resources,
    ...(options.name !== undefined ? { onlyName: options.name } : {}),
  })
  if (
    options.name !== undefined &&
    targets.length === 0 &&
    rebuilt.length === 0 &&
    ctx.actions.length === 0
  ) {
    await resolveWorkspace(deps, options.name, currentRepo)
  }
  for (const workspace of [...targets, ...rebuilt]) await repairRecord(ctx, workspace)
  if (options.name === undefined && currentRepo) await reportStrayWorktrees(ctx, currentRepo)
  await sweepLocks(ctx, options.lockWaitMs ?? LOCK_STALE_MS + 2_000)
  return {
    dryRun: ctx.dryRun,
    ok: ctx.actions.every((a) => a.outcome === 'fixed' || a.outcome === 'planned'),
    checked: [...new Set([...targets, ...rebuilt].map((w) => w.name))],
    actions: ctx.actions,
  }
}

/** The workspace a `repair <name>` is about; none when its record is gone (then it may be rebuilt). */
async function named(deps: ManagerDeps, name: string, currentRepo: string | undefined): Promise<Workspace[]> {
  try {
    return [await resolveWorkspace(deps, name, currentRepo)]
  } catch (error) {
    if (hasErrorCode(error, 'WORKSPACE_NOT_FOUND')) return []
    throw error
  }
}

/** What each backend in use holds, for adopting resources whose record is gone. A backend that fails is skipped. */
async function backendResources(
  deps: ManagerDeps,
  records: Workspace[],
): Promise<Map<string, BackendResource[]>> {
  const events = await fromEvents(deps.state.paths.events)
  const inUse = new Set([
    ...records.map((w) => w.backend),
    ...[...events.values()].flatMap((e) => (e.backend ? [e.backend] : [])),
  ])
  const names = deps.registry.names().filter((name) => inUse.has(name))
  const listed = await Promise.all(
    names.map(async (name): Promise<[string, BackendResource[]]> => {
      try {
        const provider = await deps.registry.get(name)
        return [name, await withTimeout(provider.list(), LIST_TIMEOUT_MS, `The ${name} backend`)]
      } catch {
        return [name, []]
      }
    }),
  )
  return new Map(listed)
}

/** Worktree directories nexus made that no workspace owns: kept (they may hold work) and pointed out. */
async function reportStrayWorktrees(ctx: RepairContext, repoRoot: string): Promise<void> {
  const dir = join(repoRoot, WORKTREES_DIR)
  const names = await readdir(dir).catch(() => [] as string[])
  const owned = new Set(
    (await ctx.deps.state.list()).filter((w) => w.repoRoot === repoRoot).map((w) => w.worktreePath),
  )
  for (const name of names) {
    const path = join(dir, name)
    if (owned.has(path) || !worktreePresent(path)) continue
    keep(
      ctx,
      {
        subject: name,
        problem: `The worktree ${path} belongs to no workspace.`,
        action: 'Kept: it may hold work.',
      },
      'WORKSPACE_NOT_FOUND',
      `Run \`nexus workspace repair ${name}\` to make it a workspace again, or \`git worktree remove ${path}\` once nothing in it is needed.`,
    )
  }
}

async function sweepLocks(ctx: RepairContext, waitMs: number): Promise<void> {
  const locksDir = ctx.deps.state.paths.locks
  for (const lock of await staleLocks(locksDir, ctx.dryRun ? 0 : waitMs)) {
    await act(
      ctx,
      {
        subject: lock.key,
        problem: `The lock ${lock.path} was left by a command that died (untouched for ${Math.round(lock.ageMs / 1000)} s).`,
        action: 'Remove it.',
      },
      async () => {
        if (!(await removeStaleLock(locksDir, lock.key)))
          return 'Another command took it over meanwhile; left to it.'
      },
    )
  }
}

/** The coded error a repair that left something unfixed exits with; the report rides along in its details. */
export function unrepairedError(report: RepairReport): NexusError | undefined {
  const left = report.actions.filter((a) => a.outcome === 'failed' || a.outcome === 'kept')
  const first = left[0]
  if (!first) return undefined
  const code: ErrorCode = first.code && first.code in ERROR_CODES ? (first.code as ErrorCode) : 'INTERNAL'
  return new NexusError(
    code,
    `Repair left ${left.length} problem${left.length === 1 ? '' : 's'} unfixed, first: ${first.subject}: ${first.problem}`,
    { suggestion: first.next ?? 'Rerun with --debug for details.', details: { report } },
  )
}
