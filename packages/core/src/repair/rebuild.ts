import { randomUUID } from 'node:crypto'
import { rename } from 'node:fs/promises'
import { basename } from 'node:path'
import { managerConfig } from '../manager/config-view.js'
import { PORTS_LOCK, timestamp } from '../manager/deps.js'
import { allocatePorts, collectPortRequests, rangesForBackend } from '../ports/index.js'
import type { BackendResource } from '../provider/index.js'
import type { UnreadableState } from '../state/index.js'
import { branchName, worktreePath } from '../worktree/index.js'
import {
  RESOURCE_CLASSES,
  WORKSPACE_NAME_PATTERN,
  type Workspace,
  type WorkspaceStatus,
} from '../workspace/index.js'
import { act } from './act.js'
import { fromEvents, salvageFile, type Salvaged } from './salvage.js'
import type { RepairContext } from './types.js'
import { branchExists, worktreePresent } from './worktree-parts.js'

export interface RebuildInput {
  currentRepo: string | undefined
  records: Workspace[]
  unreadable: UnreadableState[]
  /** What each backend holds, by backend name. */
  resources: Map<string, BackendResource[]>
  /** Only this workspace (a `repair <name>` whose record is gone). */
  onlyName?: string
}

interface Candidate {
  id: string
  /** The unreadable record, when there is one. */
  file?: string
  salvaged: Salvaged
}

/**
 * Records that are unreadable or gone, rebuilt from what exists: the torn file's readable fields, the event log
 * (which names the workspace of each id), the backend's labels (workspace id) and the worktree and branch, whose
 * names follow from the workspace name. A resource is only adopted when this NEXUS_HOME's event log knows its id,
 * so another home's workspaces on the same engine are never taken over. A record that cannot be rebuilt is
 * quarantined (renamed `.corrupt-<time>`), never deleted. Returns the rebuilt records.
 */
export async function rebuildRecords(ctx: RepairContext, input: RebuildInput): Promise<Workspace[]> {
  const events = await fromEvents(ctx.deps.state.paths.events)
  const known = new Set(input.records.map((w) => w.id))
  const candidates = new Map<string, Candidate>()
  for (const { file } of input.unreadable) {
    const id = basename(file).replace(/\.json$/, '')
    candidates.set(id, { id, file, salvaged: await salvageFile(file) })
  }
  for (const resource of [...input.resources.values()].flat()) {
    const id = resource.workspaceId
    if (id && !known.has(id) && !candidates.has(id) && events.has(id))
      candidates.set(id, { id, salvaged: {} })
  }
  if (input.onlyName && input.currentRepo && ![...candidates.values()].length) {
    const taken = input.records.some((w) => w.name === input.onlyName && w.repoRoot === input.currentRepo)
    if (!taken && worktreePresent(worktreePath(input.currentRepo, input.onlyName))) {
      const remembered = [...events].reverse().find(([id, e]) => e.name === input.onlyName && !known.has(id))
      const id = remembered?.[0] ?? randomUUID()
      candidates.set(id, { id, salvaged: { name: input.onlyName } })
    }
  }

  const rebuilt: Workspace[] = []
  for (const candidate of candidates.values()) {
    const remembered = events.get(candidate.id)
    const name = candidate.salvaged.name ?? remembered?.name
    if (input.onlyName && name !== input.onlyName) continue
    const held = [...input.resources].flatMap(([backend, list]) =>
      list.filter((r) => r.workspaceId === candidate.id).map((r) => ({ backend, resource: r })),
    )
    const backend = candidate.salvaged.backend ?? remembered?.backend ?? held[0]?.backend
    const repoRoot = candidate.salvaged.repoRoot ?? input.currentRepo
    const clash = input.records.some((w) => w.name === name && w.repoRoot === repoRoot)
    const usable = name !== undefined && WORKSPACE_NAME_PATTERN.test(name) && backend && repoRoot && !clash
    const evidence =
      usable &&
      (held.length > 0 ||
        worktreePresent(worktreePath(repoRoot, name)) ||
        (await branchExists(repoRoot, branchName(name)).catch(() => false)))
    const subject = name ?? candidate.file ?? candidate.id
    const problem = candidate.file
      ? `Its record ${candidate.file} is unreadable (truncated or corrupt).`
      : `Its record is gone, but ${held.map((h) => `${h.backend} ${h.resource.kind} ${h.resource.name}`).join(', ') || 'its worktree'} is still there.`
    if (!usable || !evidence) {
      if (candidate.file) await quarantine(ctx, subject, problem, candidate.file, held.length > 0)
      continue
    }
    const live = held.find((h) => !h.resource.kind.includes('service'))?.resource.status
    const status: WorkspaceStatus = live === 'running' || live === 'paused' ? live : 'stopped'
    let workspace: Workspace | undefined
    const sources = [
      candidate.file && Object.keys(candidate.salvaged).length > 0 ? 'what the torn file still holds' : '',
      remembered ? 'the event log' : '',
      held.length > 0 ? `${backend}'s labels` : '',
      'the worktree and branch names',
    ].filter(Boolean)
    await act(
      ctx,
      { subject, problem, action: `Rebuild the record (${status}) from ${sources.join(', ')}.` },
      async () => {
        if (candidate.file) await rename(candidate.file, `${candidate.file}.corrupt-${Date.now()}`)
        workspace = await writeRebuilt(ctx, {
          id: candidate.id,
          name,
          backend,
          repoRoot,
          status,
          salvaged: candidate.salvaged,
        })
        return `Rebuilt the record (${status}) from ${sources.join(', ')}${candidate.file ? `; the torn file is kept as ${basename(candidate.file)}.corrupt-<time>` : ''}.`
      },
    )
    if (workspace) rebuilt.push(workspace)
  }
  return rebuilt
}

async function quarantine(
  ctx: RepairContext,
  subject: string,
  problem: string,
  file: string,
  orphans: boolean,
): Promise<void> {
  const aside = `${file}.corrupt-${Date.now()}`
  await act(
    ctx,
    {
      subject,
      problem: `${problem} Not enough of it is left, or nothing of its workspace exists any more, to rebuild it.`,
      action: `Move it aside to ${basename(aside)} (kept, not deleted)${orphans ? '; what its backend still holds is then an orphan for `nexus workspace cleanup`' : ''}.`,
    },
    () => rename(file, aside),
  )
}

async function writeRebuilt(
  ctx: RepairContext,
  input: {
    id: string
    name: string
    backend: string
    repoRoot: string
    status: WorkspaceStatus
    salvaged: Salvaged
  },
): Promise<Workspace> {
  const config = managerConfig(ctx.deps.loaded)
  const base = RESOURCE_CLASSES[config.defaultResources]
  return ctx.deps.state.withLock(
    PORTS_LOCK,
    async () => {
      const others = (await ctx.deps.state.list()).filter((w) => w.id !== input.id)
      const heldBlocks = others.map((w) => w.portBlockStart)
      const requests = collectPortRequests(config.ports, config.services, [])
      const block = input.salvaged.portBlockStart
      // The old block is taken again when no one else holds it: the backend may still publish exactly those ports.
      const reuse = block !== undefined && !heldBlocks.includes(block)
      const allocation =
        reuse && input.salvaged.ports
          ? { blockStart: block, ports: input.salvaged.ports }
          : await allocatePorts({
              workspaceName: input.name,
              ranges: reuse
                ? [{ start: block, end: block + 9 }]
                : rangesForBackend(input.backend, config.portRange),
              requests,
              held: others.flatMap((w) => w.ports),
              heldBlocks,
              ...(reuse ? { isFree: () => Promise.resolve(true) } : {}),
            })
      const now = timestamp(ctx.deps)
      const workspace: Workspace = {
        schemaVersion: 1,
        id: input.id,
        name: input.name,
        backend: input.backend,
        status: input.status,
        branch: branchName(input.name),
        worktreePath: worktreePath(input.repoRoot, input.name),
        repoRoot: input.repoRoot,
        portBlockStart: allocation.blockStart,
        ports: allocation.ports,
        resources: { class: config.defaultResources, cpu: base.cpu, memory: base.memory },
        labels: {},
        createdAt: input.salvaged.createdAt ?? now,
        updatedAt: now,
        lastActiveAt: now,
        backendRef: null,
        lastError: null,
      }
      await ctx.deps.state.write(workspace)
      return workspace
    },
    { what: 'The port allocator' },
  )
}
