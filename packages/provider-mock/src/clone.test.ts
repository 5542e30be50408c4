import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { JsonValue, Provider } from '@nexus/core'
import { captureStream, failureOf } from '@nexus/core/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MockHome } from './__tests__/mock-home.js'
import { resolveLatency } from './latency.js'
import { MockStateStore } from './state.js'

let home: MockHome
let provider: Provider
beforeEach(async () => {
  home = await MockHome.create()
  provider = await home.provider()
})
afterEach(async () => {
  await home.cleanup()
})

describe('mock --from <git url>', () => {
  it('clones into its own directory and runs commands there', async () => {
    const source = await home.workspace('source')
    const { workspace, spec } = await home.workspace('cloned')
    await provider.create({ workspace, spec: { ...spec, options: { gitUrl: source.workspace.repoRoot } } })
    await provider.start(workspace)
    const stdout = captureStream()
    const result = await provider.exec?.(workspace, {
      command: ['pwd'],
      stdout: stdout.stream,
      stderr: captureStream().stream,
    })
    expect(result?.exitCode).toBe(0)
    const clones = new MockStateStore(home.nexusHome).clonesDir(workspace.id)
    expect(stdout.text().trim()).toBe(clones)
    expect(existsSync(join(clones, '.git'))).toBe(true)
    await provider.destroy(workspace)
    expect(existsSync(clones)).toBe(false)
  })

  it('reports a clone that keeps failing as GIT_ERROR and keeps nothing', async () => {
    const { workspace, spec } = await home.workspace('noclone')
    const error = await failureOf(() =>
      provider.create({ workspace, spec: { ...spec, options: { gitUrl: '/nonexistent/repo.git' } } }),
    )
    expect(error).toMatchObject({ code: 'GIT_ERROR', message: expect.stringContaining('failed 3 times') })
    expect(await provider.inspect(workspace)).toEqual({ status: 'missing' })
    expect(existsSync(new MockStateStore(home.nexusHome).clonesDir(workspace.id))).toBe(false)
  }, 20_000)
})

describe('mock history and latency', () => {
  it('keeps each workspace story in history.jsonl, with begin and end of every change', async () => {
    const workspace = await home.running(provider, 'story')
    await provider.stop(workspace)
    await provider.destroy(workspace)
    const text = await readFile(new MockStateStore(home.nexusHome).historyFile, 'utf8')
    const events = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; workspaceId: string; pid: number })
    expect(events.map((e) => e.event)).toEqual([
      'created',
      'starting',
      'started',
      'stopping',
      'stopped',
      'destroyed',
    ])
    expect(new Set(events.map((e) => e.workspaceId))).toEqual(new Set([workspace.id]))
    expect(events[0]?.pid).toBe(process.pid)
  })

  it('slows operations down as configured, and refuses a malformed latency_ms', async () => {
    expect(resolveLatency({ latency_ms: { start: 5, stop: 0 } })).toEqual({ start: 5, stop: 0 })
    const malformed: JsonValue[] = [5, { start: -1 }, { exec: 5 }, { start: '5' }]
    for (const bad of malformed) {
      expect(() => resolveLatency({ latency_ms: bad })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID' }),
      )
    }
    const slow = await home.provider({ latency_ms: { start: 300 } })
    const { workspace, spec } = await home.workspace('slow')
    await slow.create({ workspace, spec })
    const started = Date.now()
    await slow.start(workspace)
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
  })
})
