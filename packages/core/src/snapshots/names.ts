import { NexusError } from '../errors/index.js'
import { RESERVED_NAMES, WORKSPACE_NAME_PATTERN, suggestName } from '../workspace/index.js'

/** Snapshot names follow the workspace name rules: they end up in git refs and Docker tags, which both accept them. */
export function validateSnapshotName(name: string): void {
  if ((RESERVED_NAMES as readonly string[]).includes(name)) {
    throw new NexusError('RESERVED_NAME', `"${name}" is reserved and cannot name a snapshot.`, {
      suggestion: `Choose another name, e.g. \`${name}-1\`.`,
      details: { name, reserved: [...RESERVED_NAMES] },
    })
  }
  if (!WORKSPACE_NAME_PATTERN.test(name)) {
    const suggested = suggestName(name)
    throw new NexusError(
      'INVALID_NAME',
      `"${name}" is not a valid snapshot name: use 1–64 lower-case letters, digits and dashes, starting and ending with a letter or digit.`,
      { suggestion: `Try \`${suggested}\`.`, details: { name, suggested } },
    )
  }
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
