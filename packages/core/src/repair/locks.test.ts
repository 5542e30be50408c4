import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { withLock } from '../state/index.js'
import { LOCK_STALE_MS, removeStaleLock, staleLocks } from './locks.js'

async function deadLock(dir: string, key: string, ageMs: number): Promise<string> {
  const path = join(dir, `${key}.lock`)
  await mkdir(path, { recursive: true })
  const then = new Date(Date.now() - ageMs)
  await utimes(path, then, then)
  return path
}

describe('locks left by a killed command', () => {
  it('finds a lock untouched for longer than the stale time and removes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nexus-locks-'))
    const path = await deadLock(dir, 'ws-abc-a', LOCK_STALE_MS + 5_000)
    const found = await staleLocks(dir)
    expect(found.map((l) => l.key)).toEqual(['ws-abc-a'])
    expect(await removeStaleLock(dir, 'ws-abc-a')).toBe(true)
    expect(existsSync(path)).toBe(false)
  })

  it('never reports a lock whose holder is alive, even when watching it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nexus-locks-'))
    const found = await withLock(dir, 'ports', () => staleLocks(dir, 2_500))
    expect(found).toEqual([])
    expect(await staleLocks(dir)).toEqual([])
  })

  it('decides a young lock nobody refreshes is dead once it ages past the stale time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nexus-locks-'))
    // 2 s short of stale: wide enough that a loaded machine cannot age it past the line before the first look.
    await deadLock(dir, 'ws-abc-b', LOCK_STALE_MS - 2_000)
    expect(await staleLocks(dir)).toEqual([])
    expect((await staleLocks(dir, 5_000)).map((l) => l.key)).toEqual(['ws-abc-b'])
  })
})
