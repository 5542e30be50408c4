import { readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { hasErrorCode } from '@nexus/core'
import { captureStream, failureOf } from '@nexus/core/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MockHome } from './__tests__/mock-home.js'

let home: MockHome
beforeEach(async () => {
  home = await MockHome.create()
})
afterEach(async () => {
  await home.cleanup()
})

describe('mock state', () => {
  it('survives the provider instance: another instance (another CLI run) sees and drives the same workspace', async () => {
    const first = await home.provider()
    const workspace = await home.running(first, 'persist', { GREETING: 'hi there' })

    const second = await home.provider()
    expect(await second.inspect(workspace)).toEqual({ status: 'running' })
    const out = captureStream()
    const result = await second.exec?.(workspace, {
      command: ['sh', '-c', 'printf %s "$GREETING"'],
      stdout: out.stream,
      stderr: out.stream,
    })
    expect(result?.exitCode).toBe(0)
    expect(out.text(), 'the spec env from create reaches commands').toBe('hi there')

    await second.stop(workspace)
    expect(await (await home.provider()).inspect(workspace)).toEqual({ status: 'stopped' })
  })

  it('keeps one private JSON file per workspace under <home>/providers/mock, written without temp leftovers', async () => {
    const provider = await home.provider()
    const workspace = await home.running(provider, 'file')
    const dir = join(home.nexusHome, 'providers', 'mock')
    const file = join(dir, `${workspace.id}.json`)
    expect(workspace.backendRef).toEqual({ workspaceId: workspace.id, stateFile: file })
    const record = JSON.parse(await readFile(file, 'utf8')) as {
      status: string
      events: Array<{ event: string }>
    }
    expect(record.status).toBe('running')
    expect(record.events.map((event) => event.event)).toEqual(['created', 'started'])
    expect((await stat(file)).mode & 0o777, 'the file holds the spec env').toBe(0o600)
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('destroy removes the state file; destroying again is fine', async () => {
    const provider = await home.provider()
    const workspace = await home.running(provider, 'gone')
    await provider.destroy(workspace)
    await provider.destroy(workspace)
    expect(
      await failureOf(() => stat(join(home.nexusHome, 'providers', 'mock', `${workspace.id}.json`))),
    ).toMatchObject({
      code: 'ENOENT',
    })
    expect(await provider.list()).toEqual([])
  })

  it('lists every workspace it holds, with its status', async () => {
    const provider = await home.provider()
    const running = await home.running(provider, 'one')
    const { workspace: created, spec } = await home.workspace('two')
    await provider.create({ workspace: created, spec })
    const listed = await (await home.provider()).list()
    expect(listed.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { kind: 'mock-workspace', id: running.id, name: 'one', workspaceId: running.id, status: 'running' },
      { kind: 'mock-workspace', id: created.id, name: 'two', workspaceId: created.id, status: 'stopped' },
    ])
  })

  it('reports an unreadable state file as STATE_CORRUPT, with what to do', async () => {
    const provider = await home.provider()
    const workspace = await home.running(provider, 'corrupt')
    await writeFile(join(home.nexusHome, 'providers', 'mock', `${workspace.id}.json`), '{"half": ')
    const error = await failureOf(() => provider.inspect(workspace))
    expect(hasErrorCode(error, 'STATE_CORRUPT')).toBe(true)
    expect((error as { suggestion?: string }).suggestion).toMatch(/nexus workspace repair/)
  })

  it('refuses a workspace id that could name a file outside its directory', async () => {
    const provider = await home.provider()
    const { workspace } = await home.workspace('escape')
    const error = await failureOf(() => provider.inspect({ ...workspace, id: '../../etc/passwd' }))
    expect(hasErrorCode(error, 'INVALID_ARGUMENT')).toBe(true)
  })
})
