import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { Workspace } from '../workspace/index.js'
import { StateStore } from './store.js'

const execFileAsync = promisify(execFile)
const IS_ROOT = process.getuid?.() === 0

function workspace(status: Workspace['status'], note: string): Workspace {
  const now = new Date().toISOString()
  return {
    schemaVersion: 1,
    id: 'w1',
    name: 'full',
    backend: 'mock',
    status,
    branch: 'nexus/full',
    worktreePath: '/r/.nexus/worktrees/full',
    repoRoot: '/r',
    portBlockStart: 41000,
    ports: [],
    // Big enough that the new document cannot fit in what is left of the disk.
    labels: { note },
    resources: { class: 'small', cpu: 1, memory: 2 },
    createdAt: now,
    updatedAt: now,
    lastActiveAt: now,
    backendRef: null,
  }
}

describe('StateStore on a full disk', () => {
  it.skipIf(!IS_ROOT)('fails with RESOURCE_EXHAUSTED and leaves the previous document whole', async () => {
    const home = await mkdtemp(join(tmpdir(), 'nexus-full-'))
    await execFileAsync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', home])
    try {
      const store = new StateStore(home)
      await store.write(workspace('stopped', 'small'))
      const file = join(store.paths.workspaces, 'w1.json')
      const before = await readFile(file, 'utf8')
      await execFileAsync('dd', ['if=/dev/zero', `of=${join(home, 'filler')}`, 'bs=4k']).catch(
        () => undefined,
      )

      await expect(store.write(workspace('running', 'x'.repeat(64 * 1024)))).rejects.toMatchObject({
        code: 'RESOURCE_EXHAUSTED',
        message: expect.stringContaining('is full, so the state of workspace "full" could not be saved'),
      })
      expect(await readFile(file, 'utf8')).toBe(before)
      expect(await readdir(store.paths.workspaces)).toEqual(['w1.json'])
      expect((await store.get('w1'))?.status).toBe('stopped')
    } finally {
      await execFileAsync('umount', [home])
    }
  })
})
