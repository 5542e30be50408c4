import { createHash } from 'node:crypto'
import { join } from 'node:path'

export function statePaths(nexusHome: string): {
  root: string
  workspaces: string
  locks: string
  events: string
} {
  const root = join(nexusHome, 'state')
  return {
    root,
    workspaces: join(root, 'workspaces'),
    locks: join(root, 'locks'),
    events: join(root, 'events.jsonl'),
  }
}

/** A lock name for one workspace of one repository: names are unique per repository. */
export function workspaceLockKey(repoRoot: string, name: string): string {
  const repo = createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)
  return `ws-${repo}-${name}`
}
