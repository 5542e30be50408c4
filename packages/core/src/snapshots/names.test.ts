import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hasErrorCode } from '../errors/index.js'
import { parseSnapshotSource, validateSnapshotName } from './names.js'
import { SnapshotStore, type SnapshotRecord } from './store.js'

function record(name: string, createdAt: string): SnapshotRecord {
  return {
    name,
    description: null,
    createdAt,
    sizeBytes: 3,
    workspace: { id: 'w1', name: 'w', backend: 'mock' },
    worktree: {
      head: 'h',
      tree: 't',
      indexTree: 'i',
      commit: 'c',
      ref: `refs/nexus/snapshots/w1/${name}`,
      changedFiles: 1,
      changedBytes: 3,
    },
    backend: {},
    backendSizeBytes: null,
  }
}

describe('snapshot names and sources', () => {
  it('follows the workspace name rules, in snapshot words', () => {
    expect(() => validateSnapshotName('before-refactor')).not.toThrow()
    expect(() => validateSnapshotName('Before Refactor')).toThrow(
      expect.objectContaining({ code: 'INVALID_NAME', message: expect.stringContaining('snapshot name') }),
    )
    expect(() => validateSnapshotName('current')).toThrow(expect.objectContaining({ code: 'RESERVED_NAME' }))
  })

  it('reads <workspace>/<snapshot> and a bare <snapshot>, and refuses anything else', () => {
    expect(parseSnapshotSource('feat/base')).toEqual({ workspace: 'feat', snapshot: 'base' })
    expect(parseSnapshotSource('base')).toEqual({ snapshot: 'base' })
    for (const bad of ['a/b/c', '/b', 'a/', '']) {
      let caught: unknown
      try {
        parseSnapshotSource(bad)
      } catch (error) {
        caught = error
      }
      expect(hasErrorCode(caught, 'INVALID_ARGUMENT'), bad).toBe(true)
    }
  })
})

describe('SnapshotStore', () => {
  it('keeps records per workspace, oldest first, and forgets the file with the last one', async () => {
    const store = new SnapshotStore(await mkdtemp(join(tmpdir(), 'nexus-snapstore-')))
    expect(await store.list('w1')).toEqual([])
    await store.add('w1', record('second', '2026-01-02T00:00:00.000Z'))
    await store.add('w1', record('first', '2026-01-01T00:00:00.000Z'))
    expect((await store.list('w1')).map((s) => s.name)).toEqual(['first', 'second'])
    expect(await store.find('w1', 'second')).toMatchObject({ name: 'second' })
    await store.remove('w1', 'first')
    await store.remove('w1', 'second')
    expect(await store.list('w1')).toEqual([])
  })

  it('reports a torn file as STATE_CORRUPT', async () => {
    const store = new SnapshotStore(await mkdtemp(join(tmpdir(), 'nexus-snapstore-')))
    await store.add('w1', record('one', '2026-01-01T00:00:00.000Z'))
    await writeFile(store.fileOf('w1'), '{"schemaVersion": 1, "snap')
    await expect(store.list('w1')).rejects.toSatisfy((error: unknown) => hasErrorCode(error, 'STATE_CORRUPT'))
  })
})
