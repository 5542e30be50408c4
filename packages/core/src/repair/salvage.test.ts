import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fromEvents, salvage } from './salvage.js'

const record = {
  schemaVersion: 1,
  id: 'id-1',
  name: 'feature-x',
  backend: 'docker',
  status: 'running',
  branch: 'nexus/feature-x',
  worktreePath: '/r/.nexus/worktrees/feature-x',
  repoRoot: '/r',
  portBlockStart: 32810,
  ports: [
    { name: 'ssh', containerPort: 22, hostPort: 32810 },
    { name: 'web', containerPort: 3000, hostPort: 32811 },
  ],
  createdAt: '2026-11-23T10:00:00.000Z',
}

describe('salvaging a torn workspace record', () => {
  const text = JSON.stringify(record, null, 2)

  it('reads every field that is still whole, the workspace name before any port name', () => {
    const cut = text.slice(0, text.indexOf('"createdAt"'))
    expect(salvage(cut)).toEqual({
      name: 'feature-x',
      backend: 'docker',
      repoRoot: '/r',
      portBlockStart: 32810,
      ports: record.ports,
    })
  })

  it('drops a port list cut in the middle, keeps the block', () => {
    const cut = text.slice(0, text.indexOf('"web"'))
    const found = salvage(cut)
    expect(found.ports).toBeUndefined()
    expect(found.portBlockStart).toBe(32810)
  })

  it('finds nothing in an empty file', () => {
    expect(salvage('')).toEqual({})
  })
})

describe('the event log as a source of names', () => {
  it('maps each workspace id to the name and backend of its events, leaving out destroyed ones and a torn last line', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'nexus-events-')), 'events.jsonl')
    await writeFile(
      file,
      [
        JSON.stringify({
          operation: 'create',
          workspace: 'a',
          workspaceId: 'id-a',
          backend: 'mock',
          result: 'ok',
        }),
        JSON.stringify({ operation: 'repair', workspace: '', result: 'ok' }),
        JSON.stringify({
          operation: 'create',
          workspace: 'c',
          workspaceId: 'id-c',
          backend: 'mock',
          result: 'ok',
        }),
        JSON.stringify({ operation: 'destroy', workspace: 'c', workspaceId: 'id-c', result: 'ok' }),
        '{"operation":"create","workspace":"b","workspaceId":"id-',
      ].join('\n'),
    )
    expect(await fromEvents(file)).toEqual(new Map([['id-a', { name: 'a', backend: 'mock' }]]))
  })
})
