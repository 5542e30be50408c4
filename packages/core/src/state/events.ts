import { appendFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Actor } from '../app/types.js'

export interface StateEvent {
  time: string
  actor: Actor
  operation: string
  workspaceId?: string
  workspace?: string
  backend?: string
  result: 'ok' | 'error'
  errorCode?: string
  durationMs?: number
  detail?: string
}

/**
 * Appends one event to the JSONL log. A single write with O_APPEND of a line well under PIPE_BUF lands whole even
 * when several processes append at once, so no lock is needed.
 */
export async function appendEvent(file: string, event: StateEvent): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await appendFile(file, `${JSON.stringify(event)}\n`, { flag: 'a' })
}
