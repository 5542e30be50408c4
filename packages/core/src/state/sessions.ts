import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../util/atomic-file.js'

/** How a user is attached to a workspace: an SSH shell or command, or an interactive exec. */
export type SessionKind = 'ssh' | 'exec' | 'shell'

/** One live attachment, kept as `$NEXUS_HOME/state/sessions/<workspace id>/<pid>-<random>.json`. */
export interface SessionRecord {
  workspaceId: string
  workspace: string
  kind: SessionKind
  /** The nexus CLI process holding the session; the session is over when it is gone. */
  pid: number
  startedAt: string
}

export interface SessionHandle {
  record: SessionRecord
  /** Removes the session file; safe to call more than once. */
  release(): Promise<void>
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/

function sessionsDir(stateRoot: string, workspaceId: string): string {
  // The id names a directory: refuse anything that could climb out of the sessions directory.
  if (!SAFE_ID.test(workspaceId)) throw new Error(`unsafe workspace id ${JSON.stringify(workspaceId)}`)
  return join(stateRoot, 'sessions', workspaceId)
}

/** True while a process with this pid exists (EPERM: it exists, it is just someone else's). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Records that this process is attached to a workspace until `release()`. The file also goes when the process
 * exits normally; a process killed outright leaves it behind, and readers drop it once its pid is gone.
 */
export async function registerSession(
  stateRoot: string,
  session: Omit<SessionRecord, 'pid' | 'startedAt'>,
): Promise<SessionHandle> {
  const dir = sessionsDir(stateRoot, session.workspaceId)
  const record: SessionRecord = { ...session, pid: process.pid, startedAt: new Date().toISOString() }
  const file = join(dir, `${process.pid}-${randomBytes(4).toString('hex')}.json`)
  // Atomic, so a reader never takes a half-written file for a broken one and deletes it.
  await writeFileAtomic(file, `${JSON.stringify(record)}\n`, 0o600)
  const onExit = (): void => rmSync(file, { force: true })
  process.once('exit', onExit)
  let released = false
  return {
    record,
    async release() {
      if (released) return
      released = true
      process.removeListener('exit', onExit)
      await rm(file, { force: true })
    },
  }
}

/** The sessions attached to a workspace whose process is still alive; files of dead ones are removed on the way. */
export async function liveSessions(stateRoot: string, workspaceId: string): Promise<SessionRecord[]> {
  const dir = sessionsDir(stateRoot, workspaceId)
  const names = await readdir(dir).catch(() => [] as string[])
  const live: SessionRecord[] = []
  for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.'))) {
    const file = join(dir, name)
    const record = await readFile(file, 'utf8')
      .then((text) => JSON.parse(text) as SessionRecord)
      .catch(() => undefined)
    if (record && Number.isInteger(record.pid) && record.pid > 0 && isProcessAlive(record.pid))
      live.push(record)
    else await rm(file, { force: true })
  }
  return live
}

/** Drops what is left of a destroyed workspace's sessions. */
export async function removeSessions(stateRoot: string, workspaceId: string): Promise<void> {
  await rm(sessionsDir(stateRoot, workspaceId), { recursive: true, force: true })
}
