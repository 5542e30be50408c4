import { lstat, readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { hasErrorCode, runOperation, type Provider } from '@nexus/core'
import { failureOf } from '@nexus/core/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MockHome } from './__tests__/mock-home.js'

let home: MockHome
let provider: Provider
beforeEach(async () => {
  home = await MockHome.create()
  provider = await home.provider()
})
afterEach(async () => {
  await home.cleanup()
})

describe('mock.snapshot.create and mock.snapshot.list', () => {
  it("copies the worktree's files, uncommitted ones included and .git excluded, and reports honest counts", async () => {
    const workspace = await home.running(provider, 'snap')
    await writeFile(join(workspace.worktreePath, 'work-in-progress.txt'), 'draft\n')

    const result = (await runOperation(
      provider,
      'mock.snapshot.create',
      { snapshot: 'before-refactor' },
      workspace,
    )) as {
      path: string
      files: number
      bytes: number
      snapshot: string
    }
    expect(result.path).toBe(
      join(home.nexusHome, 'providers', 'mock', 'snapshots', workspace.id, 'before-refactor'),
    )
    const copied = (await readdir(result.path)).sort()
    expect(copied).toEqual(['README.md', 'nexus-conformance.txt', 'work-in-progress.txt'])
    expect(await readFile(join(result.path, 'work-in-progress.txt'), 'utf8')).toBe('draft\n')
    const sizes = await Promise.all(copied.map(async (name) => (await lstat(join(result.path, name))).size))
    expect(result.files).toBe(3)
    expect(result.bytes).toBe(sizes.reduce((sum, size) => sum + size, 0))

    const listed = (await runOperation(provider, 'mock.snapshot.list', {}, workspace)) as Array<{
      snapshot: string
    }>
    expect(listed.map((entry) => entry.snapshot)).toEqual(['before-refactor'])
  })

  it('refuses a taken name and a name that could escape the snapshot directory', async () => {
    const workspace = await home.running(provider, 'names')
    await runOperation(provider, 'mock.snapshot.create', { snapshot: 'one' }, workspace)
    const taken = await failureOf(() =>
      runOperation(provider, 'mock.snapshot.create', { snapshot: 'one' }, workspace),
    )
    expect(hasErrorCode(taken, 'INVALID_ARGUMENT')).toBe(true)
    const escape = await failureOf(() =>
      runOperation(provider, 'mock.snapshot.create', { snapshot: '../x' }, workspace),
    )
    expect(hasErrorCode(escape, 'INVALID_ARGUMENT')).toBe(true)
  })

  it('core rejects a snapshot without a name before the provider runs', async () => {
    const workspace = await home.running(provider, 'unnamed')
    const error = await failureOf(() => runOperation(provider, 'mock.snapshot.create', {}, workspace))
    expect(hasErrorCode(error, 'INVALID_ARGUMENT')).toBe(true)
    expect(await runOperation(provider, 'mock.snapshot.list', {}, workspace)).toEqual([])
  })

  it('destroy removes the snapshots with the workspace', async () => {
    const workspace = await home.running(provider, 'cleanup')
    const { path } = (await runOperation(provider, 'mock.snapshot.create', { snapshot: 's' }, workspace)) as {
      path: string
    }
    await provider.destroy(workspace)
    expect(await failureOf(() => stat(path))).toMatchObject({ code: 'ENOENT' })
  })

  it('fails with WORKSPACE_NOT_FOUND for a workspace the backend does not hold', async () => {
    const { workspace } = await home.workspace('ghost')
    const error = await failureOf(() => runOperation(provider, 'mock.snapshot.list', {}, workspace))
    expect(hasErrorCode(error, 'WORKSPACE_NOT_FOUND')).toBe(true)
  })
})

describe('mock.echo', () => {
  it('returns exactly what printf printed on the host, options and quotes included', async () => {
    const message = '-n "quoted" $HOME'
    expect(await runOperation(provider, 'mock.echo', { message })).toEqual({ message })
  })

  it('core refuses it without a message', async () => {
    expect(
      hasErrorCode(await failureOf(() => runOperation(provider, 'mock.echo', {})), 'INVALID_ARGUMENT'),
    ).toBe(true)
  })
})
