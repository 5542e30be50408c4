import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Workspace } from '../workspace/index.js'
import { StateStore } from './store.js'

function workspace(id: string, name: string): Workspace {
  const now = new Date().toISOString()
  return {
    schemaVersion: 1,
    id,
    name,
    backend: 'mock',
    status: 'pending',
    branch: `nexus/${name}`,
    worktreePath: `/r/.nexus/worktrees/${name}`,
    repoRoot: '/r',
    portBlockStart: 41000,
    ports: [],
    resources: { class: 'small', cpu: 1, memory: 2 },
    labels: {},
    createdAt: now,
    updatedAt: now,
    lastActiveAt: now,
    backendRef: null,
  }
}

describe('StateStore', () => {
  it('writes one private JSON document per workspace, atomically, and reads them back', async () => {
    const store = new StateStore(await mkdtemp(join(tmpdir(), 'nexus-state-')))
    await store.write(workspace('1', 'a'))
    await store.write(workspace('2', 'b'))
    expect((await store.list()).map((w) => w.name)).toEqual(['a', 'b'])
    expect(await store.findByName('/r', 'b')).toMatchObject({ id: '2' })
    const files = await readdir(store.paths.workspaces)
    expect(files.sort()).toEqual(['1.json', '2.json'])
    await store.remove('1')
    expect((await store.list()).map((w) => w.name)).toEqual(['b'])
  })

  it('reports a torn or foreign document instead of failing the whole list', async () => {
    const store = new StateStore(await mkdtemp(join(tmpdir(), 'nexus-state-')))
    await store.write(workspace('1', 'a'))
    await writeFile(join(store.paths.workspaces, 'broken.json'), '{"schemaVersion": 1, "id": ')
    expect((await store.list()).map((w) => w.name)).toEqual(['a'])
    expect(store.unreadable).toHaveLength(1)
  })

  it('serialises work under one lock across concurrent callers', async () => {
    const store = new StateStore(await mkdtemp(join(tmpdir(), 'nexus-state-')))
    const order: string[] = []
    await Promise.all(
      ['x', 'y', 'z'].map((tag) =>
        store.withLock('k', async () => {
          order.push(`${tag}+`)
          await new Promise((r) => setTimeout(r, 30))
          order.push(`${tag}-`)
        }),
      ),
    )
    for (let i = 0; i < order.length; i += 2) expect(order[i]?.[0]).toBe(order[i + 1]?.[0])
  })

  it('appends events as JSON lines', async () => {
    const store = new StateStore(await mkdtemp(join(tmpdir(), 'nexus-state-')))
    await store.appendEvent({ time: 't', actor: 'user', operation: 'create', result: 'ok' })
    await store.appendEvent({
      time: 't',
      actor: 'agent',
      operation: 'destroy',
      result: 'error',
      errorCode: 'X',
    })
    const lines = (await readFile(store.paths.events, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((l) => l.operation)).toEqual(['create', 'destroy'])
  })
})
