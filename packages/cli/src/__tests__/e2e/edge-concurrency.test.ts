import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { LifecycleResult, Workspace, WorkspaceInfo } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, parseErrorDocument, type RunResult, type Sandbox } from './harness.js'

// Ten blocks of ten, apart from the ranges the other e2e files use.
const PORT_RANGE = '{start: 22700, end: 22799}'

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await createSandbox({ portsRange: PORT_RANGE })
})

afterAll(async () => {
  await sandbox?.cleanup()
})

interface HistoryLine {
  at: string
  workspaceId: string
  event: string
  pid: number
}

/** What the mock backend did (to one workspace, or to all), in order, with the nexus process that asked. */
async function backendHistory(id?: string): Promise<HistoryLine[]> {
  const text = await readFile(join(sandbox.nexusHome, 'providers', 'mock', 'history.jsonl'), 'utf8')
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as HistoryLine)
    .filter((line) => id === undefined || line.workspaceId === id)
}

async function setLatency(yaml: string): Promise<void> {
  const result = await sandbox.nexus(['config', 'set', 'backends.mock.latency_ms', yaml])
  expect(result.code, result.stderr).toBe(0)
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('edge cases: Concurrency', () => {
  it('20 concurrent creates of one name → exactly 1 wins (others ALREADY_EXISTS or WORKSPACE_BUSY, no leftovers)', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 20 }, () =>
        sandbox.nexus(['ws', 'create', 'race', '--backend', 'mock', '--json']),
      ),
    )
    const winners = attempts.filter((attempt) => attempt.code === 0)
    expect(winners, attempts.map((a) => a.stdout + a.stderr).join('\n')).toHaveLength(1)
    for (const loser of attempts.filter((attempt) => attempt.code !== 0)) {
      expect(['WORKSPACE_ALREADY_EXISTS', 'WORKSPACE_BUSY']).toContain(
        parseErrorDocument(loser.stdout).error.code,
      )
    }
    const winner = JSON.parse(winners[0]?.stdout ?? '') as Workspace

    // One record, one worktree, one branch, one backend record, one port block: nothing from the losers.
    const listed = await sandbox.json<Workspace[]>(['ws', 'ls'])
    expect(listed.map((w) => [w.id, w.name, w.status])).toEqual([[winner.id, 'race', 'running']])
    expect(await readdir(join(sandbox.nexusHome, 'state', 'workspaces'))).toEqual([`${winner.id}.json`])
    const worktrees = (await sandbox.git(['worktree', 'list', '--porcelain']))
      .split('\n')
      .filter((line) => line.startsWith('worktree '))
    expect(worktrees).toEqual([`worktree ${sandbox.repo}`, `worktree ${winner.worktreePath}`])
    expect(await sandbox.git(['branch', '--list', 'nexus/*', '--format=%(refname:short)'])).toBe('nexus/race')
    const backendRecords = (await readdir(join(sandbox.nexusHome, 'providers', 'mock'))).filter((f) =>
      f.endsWith('.json'),
    )
    expect(backendRecords).toEqual([`${winner.id}.json`])
    expect((await sandbox.nexus(['ws', 'exec', 'race', '--', 'true'])).code).toBe(0)
    expect((await sandbox.nexus(['ws', 'destroy', 'race'])).code).toBe(0)
  })

  it('concurrent start/stop of one workspace serialize (final state consistent with the last op, no interleaving)', async () => {
    const workspace = await sandbox.json<Workspace>(['ws', 'create', 'flip', '--backend', 'mock'])
    const baseline = (await backendHistory(workspace.id)).length
    // A slow backend, so that unserialized operations would overlap.
    await setLatency('{start: 300, stop: 300}')
    try {
      const operations = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 'stop' : 'start'))
      const results: RunResult[] = await Promise.all(
        operations.map((operation) => sandbox.nexus(['ws', operation, 'flip', '--json'])),
      )
      for (const result of results) expect(result.code, result.stdout + result.stderr).toBe(0)
      const changed = results.filter((result) => !(JSON.parse(result.stdout) as LifecycleResult).unchanged)

      // Each change the backend made began and ended before the next one began, in one nexus process.
      const history = (await backendHistory(workspace.id)).slice(baseline)
      expect(history).toHaveLength(changed.length * 2)
      for (let i = 0; i < history.length; i += 2) {
        const [begin, end] = [history[i], history[i + 1]] as [HistoryLine, HistoryLine]
        expect([begin.event, end.event]).toEqual(
          begin.event === 'starting' ? ['starting', 'started'] : ['stopping', 'stopped'],
        )
        expect(end.pid).toBe(begin.pid)
        // …and it was a real change: the workspace never went to the state it was already in.
        if (i > 0) expect(begin.event).not.toBe(history[i - 2]?.event)
      }

      // The final state is the last operation's, in nexus's state and on the backend alike.
      const last = history.at(-1)?.event
      const info = await sandbox.json<WorkspaceInfo>(['ws', 'info', 'flip'])
      const expected = last === 'started' ? 'running' : 'stopped'
      expect(info.status).toBe(expected)
      expect(info.live.status).toBe(expected)

      // The event log holds every operation, each recorded as a success.
      const events = (await readFile(join(sandbox.nexusHome, 'state', 'events.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { operation: string; workspace?: string; result: string })
        .filter((event) => event.workspace === 'flip' && ['start', 'stop'].includes(event.operation))
      expect(events).toHaveLength(operations.length)
      expect(events.every((event) => event.result === 'ok')).toBe(true)
    } finally {
      await setLatency('{}')
    }
  })

  it('destroy during switch waits (the lock)', async () => {
    const base = await sandbox.json<Workspace>(['ws', 'create', 'home-base', '--backend', 'mock'])
    const target = await sandbox.json<Workspace>(['ws', 'create', 'target', '--backend', 'mock'])
    expect((await sandbox.nexus(['ws', 'switch', 'home-base'])).code).toBe(0)
    expect((await sandbox.nexus(['ws', 'stop', 'target'])).code).toBe(0)
    await setLatency('{start: 2000}')
    try {
      const startsBefore = (await backendHistory(target.id)).filter(
        (line) => line.event === 'starting',
      ).length
      const switching = sandbox.nexus(['ws', 'switch', 'target'])
      // Wait until the switch is inside its start (holding the locks), then destroy.
      for (let i = 0; i < 200; i++) {
        const starts = (await backendHistory(target.id)).filter((line) => line.event === 'starting').length
        if (starts > startsBefore) break
        await pause(50)
      }
      const destroyed = await sandbox.nexus(['ws', 'destroy', 'target'])
      const switched = await switching
      expect(switched.code, switched.stderr).toBe(0)
      expect(switched.stdout.trim()).toBe(target.worktreePath)
      expect(destroyed.code, destroyed.stderr).toBe(0)

      // In the backend's order of events: the whole switch (start the target, pause the one left), then the
      // destroy (stop, remove), never one inside the other.
      const all = await backendHistory()
      const at = (id: string, event: string): number =>
        all.findLastIndex((line) => line.workspaceId === id && line.event === event)
      const order = [
        at(target.id, 'starting'),
        at(target.id, 'started'),
        at(base.id, 'paused'),
        at(target.id, 'stopping'),
        at(target.id, 'stopped'),
        at(target.id, 'destroyed'),
      ]
      for (const index of order) expect(index).toBeGreaterThanOrEqual(0)
      expect([...order].sort((a, b) => a - b)).toEqual(order)
      const listed = await sandbox.json<Workspace[]>(['ws', 'ls'])
      expect(listed.map((w) => w.name)).not.toContain('target')
      expect(listed.find((w) => w.name === 'home-base')?.status).toBe('paused')
    } finally {
      await setLatency('{}')
    }
  })
})
