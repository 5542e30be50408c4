import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isProcessAlive, liveSessions, registerSession, removeSessions } from './sessions.js'

async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((resolve) => child.once('exit', resolve))
  return child.pid ?? 0
}

describe('sessions', () => {
  it('registers a live session under the workspace and forgets it on release', async () => {
    const root = await mkdtemp(join(tmpdir(), 'nexus-sessions-'))
    const handle = await registerSession(root, { workspaceId: 'ws-1', workspace: 'one', kind: 'shell' })
    expect(handle.record).toMatchObject({ workspaceId: 'ws-1', kind: 'shell', pid: process.pid })
    expect(await liveSessions(root, 'ws-1')).toEqual([handle.record])
    expect(await liveSessions(root, 'ws-2')).toEqual([])
    await handle.release()
    await handle.release()
    expect(await liveSessions(root, 'ws-1')).toEqual([])
    expect(await readdir(join(root, 'sessions', 'ws-1'))).toEqual([])
  })

  it('drops the file of a session whose process is gone (killed before it could clean up)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'nexus-sessions-'))
    const pid = await exitedPid()
    expect(isProcessAlive(pid)).toBe(false)
    const dir = join(root, 'sessions', 'ws-1')
    await mkdir(dir, { recursive: true })
    const record = {
      workspaceId: 'ws-1',
      workspace: 'one',
      kind: 'exec',
      pid,
      startedAt: new Date().toISOString(),
    }
    await writeFile(join(dir, `${pid}-dead.json`), JSON.stringify(record))
    await writeFile(join(dir, 'garbled.json'), '{not json')
    expect(await liveSessions(root, 'ws-1')).toEqual([])
    expect(await readdir(dir)).toEqual([])
    await removeSessions(root, 'ws-1')
    expect(await readdir(join(root, 'sessions'))).toEqual([])
  })

  it('refuses a workspace id that could leave the sessions directory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'nexus-sessions-'))
    await expect(liveSessions(root, '../escape')).rejects.toThrow(/unsafe workspace id/)
  })
})
