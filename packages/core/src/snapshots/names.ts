import { NexusError } from '../errors/index.js'
import { validateName } from '../workspace/index.js'

/** Snapshot names follow the workspace name rules: they end up in git refs and Docker tags, which both accept them. */
export function validateSnapshotName(name: string): void {
  validateName(name, 'snapshot')
}

/** Where a new workspace comes from: `<workspace>/<snapshot>`, or a bare `<snapshot>` when only one workspace has it. */
export interface SnapshotSourceSpec {
  workspace?: string
  snapshot: string
}

export function parseSnapshotSource(text: string): SnapshotSourceSpec {
  const parts = text.split('/')
  if (parts.length > 2 || parts.some((part) => part === '')) {
    throw new NexusError('INVALID_ARGUMENT', `"${text}" does not name a snapshot.`, {
      suggestion:
        'Write it as <workspace>/<snapshot> (e.g. `feature-x/before-refactor`), or just <snapshot>.',
    })
  }
  const [first, second] = parts as [string, string | undefined]
  return second === undefined ? { snapshot: first } : { workspace: first, snapshot: second }
}
