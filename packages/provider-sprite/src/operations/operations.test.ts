import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runOperation, type Workspace } from '@nexus/core'
import { captureStream, makeTestWorkspace, type TestWorkspace } from '@nexus/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { codedFailure, recordingReporter, startTestBackend, type TestBackend } from '../__tests__/helpers.js'
import type { SpriteProvider } from '../sprite-provider.js'
import { WORKDIR, spriteNameFor } from '../workspace/naming.js'

let backend: TestBackend
let provider: SpriteProvider
let test: TestWorkspace
let workspace: Workspace
let local: string
const reporter = recordingReporter()

beforeAll(async () => {
  backend = await startTestBackend()
  provider = await backend.provider({ reporter })
  test = await makeTestWorkspace({ backend: 'sprite', name: 'hatches' })
  const { backendRef } = await provider.create(test)
  workspace = { ...test.workspace, backendRef, status: 'running' }
  await provider.start(workspace)
  local = await mkdtemp(join(tmpdir(), 'nexus-sprite-local-'))
})

afterAll(async () => {
  await test.cleanup()
  await rm(local, { recursive: true, force: true })
  await backend.cleanup()
})

const op = (id: string, params: Record<string, string | number | boolean> = {}) =>
  runOperation(provider, id, params, workspace)

async function shell(script: string): Promise<string> {
  const out = captureStream()
  await provider.exec(workspace, { command: ['sh', '-c', script], stdout: out.stream, stderr: out.stream })
  return out.text()
}

describe('checkpoints', () => {
  it('creates a checkpoint, reporting the id the stream announced, and lists it', async () => {
    const created = await op('sprite.checkpoint.create', { comment: 'before change' })
    expect(created).toMatchObject({ id: 'v1', comment: 'before change', auto: false })
    const listed = (await op('sprite.checkpoint.list')) as Array<{ id: string }>
    expect(listed.map((checkpoint) => checkpoint.id)).toEqual(['v1'])
  })

  it('restore brings a changed file back, and warns that it restarts the VM', async () => {
    await shell('echo changed > README.md')
    expect(await shell('cat README.md')).toBe('changed\n')
    await op('sprite.checkpoint.restore', { id: 'v1' })
    expect(await shell('cat README.md')).toContain('# hatches')
    expect(reporter.warnings.at(-1)).toMatch(/restarts sprite/)
  })

  it('a restore whose stream carries an error is a failure, not a success', async () => {
    backend.fake.state.failNextRestore = 'overlay mount failed'
    const failure = await codedFailure(() => op('sprite.checkpoint.restore', { id: 'v1' }), 'BACKEND_ERROR')
    expect(failure.message).toContain('overlay mount failed')
  })

  it('a checkpoint whose stream carries an error is a failure, and nothing new is listed', async () => {
    backend.fake.state.failNextCheckpoint = 'disk full'
    const failure = await codedFailure(() => op('sprite.checkpoint.create'), 'BACKEND_ERROR')
    expect(failure.message).toContain('disk full')
    expect(((await op('sprite.checkpoint.list')) as unknown[]).length).toBe(1)
  })

  it('refuses to restore an id the sprite does not have', async () => {
    await codedFailure(() => op('sprite.checkpoint.restore', { id: 'v9' }), 'INVALID_ARGUMENT')
  })
})

describe('url, files and services', () => {
  it('shows the URL and changes who may open it', async () => {
    const shown = await op('sprite.url')
    expect(shown).toEqual({
      workspace: 'hatches',
      url: `https://${spriteNameFor(workspace)}-fake.sprites.app`,
      auth: 'sprite',
    })
    expect(await op('sprite.url', { auth: 'public' })).toMatchObject({ auth: 'public' })
    expect(backend.fake.state.sprites.get(spriteNameFor(workspace))?.urlAuth).toBe('public')
    await codedFailure(() => op('sprite.url', { auth: 'everyone' }), 'INVALID_ARGUMENT')
  })

  it('pushes a file into the work dir and pulls it back', async () => {
    await writeFile(join(local, 'in.txt'), 'pushed bytes\n')
    const pushed = await op('sprite.file.push', { local: join(local, 'in.txt'), remote: 'docs/in.txt' })
    expect(pushed).toMatchObject({ remote: `${WORKDIR}/docs/in.txt`, bytes: 13 })
    expect(await shell('cat docs/in.txt')).toBe('pushed bytes\n')
    await op('sprite.file.pull', { remote: 'docs/in.txt', local: join(local, 'out', 'back.txt') })
    expect(await readFile(join(local, 'out', 'back.txt'), 'utf8')).toBe('pushed bytes\n')
    await codedFailure(
      () => op('sprite.file.pull', { remote: 'nope.txt', local: join(local, 'x') }),
      'INVALID_ARGUMENT',
    )
    await codedFailure(
      () => op('sprite.file.push', { local: join(local, 'missing'), remote: 'x' }),
      'INVALID_ARGUMENT',
    )
  })

  it('runs a service in the work dir, lists, stops and starts it, and shows its logs', async () => {
    const created = await op('sprite.service.create', {
      service: 'ticker',
      command: 'cat README.md; sleep 60',
      port: 8080,
    })
    expect(created).toMatchObject({
      name: 'ticker',
      command: 'cat README.md; sleep 60',
      status: 'running',
      httpPort: 8080,
    })
    expect(await op('sprite.service.list')).toEqual([
      expect.objectContaining({ name: 'ticker', status: 'running' }),
    ])
    expect(await op('sprite.service.stop', { service: 'ticker' })).toMatchObject({ status: 'stopped' })
    expect(await op('sprite.service.start', { service: 'ticker' })).toMatchObject({ status: 'running' })
    const logs = (await op('sprite.service.logs', { service: 'ticker' })) as { logs: string }
    expect(logs.logs).toContain('# hatches')
  })

  it('workspace stop stops the services, and start brings them back', async () => {
    await provider.stop(workspace)
    expect(await op('sprite.service.list')).toEqual([expect.objectContaining({ status: 'stopped' })])
    await provider.start(workspace)
    expect(await op('sprite.service.list')).toEqual([expect.objectContaining({ status: 'running' })])
  })
})
