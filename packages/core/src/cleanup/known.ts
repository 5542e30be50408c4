import { basename } from 'node:path'
import type { CleanupDeps } from './types.js'

/** The workspace ids this NEXUS_HOME knows right now, readable records or not. */
export async function knownWorkspaceIds(deps: CleanupDeps): Promise<Set<string>> {
  const records = await deps.state.list()
  return new Set([
    ...records.map((w) => w.id),
    ...deps.state.unreadable.map((u) => basename(u.file).replace(/\.json$/, '')),
  ])
}
