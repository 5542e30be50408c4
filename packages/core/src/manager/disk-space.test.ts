import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { assertFreeSpace, freeBytes } from './disk-space.js'

describe('free disk space', () => {
  it('measures the filesystem of the nearest existing parent of a path not made yet', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nexus-disk-'))
    const free = await freeBytes(join(dir, 'not', 'yet'))
    expect(free).toBeGreaterThan(0)
    // The same filesystem, measured twice: other processes may write meanwhile, so only roughly equal.
    expect(Math.abs(free - (await freeBytes(dir)))).toBeLessThan(1024 ** 3)
  })

  it('refuses with RESOURCE_EXHAUSTED, naming the disk and the cleanup, below the minimum', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nexus-disk-'))
    await expect(assertFreeSpace([{ path: dir, what: 'the repository' }], 0)).resolves.toBeUndefined()
    await expect(
      assertFreeSpace([{ path: dir, what: 'the repository' }], Number.MAX_SAFE_INTEGER),
    ).rejects.toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
      message: expect.stringContaining(`on the disk holding the repository (${dir})`),
      suggestion: expect.stringContaining('nexus workspace cleanup'),
    })
  })
})
