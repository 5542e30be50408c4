import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { hasErrorCode, isNexusError, type Provider, type Workspace } from '@nexus/core'
import { captureStream, failureOf } from '@nexus/core/testing'
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

async function run(
  workspace: Workspace,
  command: string[],
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const stdout = captureStream()
  const stderr = captureStream()
  const result = await provider.exec?.(workspace, { command, stdout: stdout.stream, stderr: stderr.stream })
  return { exitCode: result?.exitCode ?? -1, stdout: stdout.text(), stderr: stderr.text() }
}

describe('mock exec on the host', () => {
  it('runs in the worktree, seeing files that are not committed', async () => {
    const workspace = await home.running(provider, 'cwd')
    await writeFile(join(workspace.worktreePath, 'scratch.txt'), 'uncommitted\n')
    expect(await run(workspace, ['cat', 'scratch.txt'])).toEqual({
      exitCode: 0,
      stdout: 'uncommitted\n',
      stderr: '',
    })
  })

  it('reports a command killed by a signal as 128 + the signal number', async () => {
    const workspace = await home.running(provider, 'signal')
    expect((await run(workspace, ['sh', '-c', 'kill -TERM $$'])).exitCode).toBe(128 + 15)
  })

  it('reports a command that does not exist as 127 with a message on stderr, like a shell', async () => {
    const workspace = await home.running(provider, 'missing')
    const result = await run(workspace, ['no-such-command-nexus'])
    expect(result.exitCode).toBe(127)
    expect(result.stderr).toBe('nexus: no-such-command-nexus: command not found\n')
  })

  it('refuses a stopped workspace, pointing at `nexus workspace start`', async () => {
    const { workspace, spec } = await home.workspace('stopped')
    await provider.create({ workspace, spec })
    const error = await failureOf(() => run(workspace, ['true']))
    expect(hasErrorCode(error, 'INVALID_TRANSITION')).toBe(true)
    expect(isNexusError(error) && error.suggestion).toBe('Run `nexus workspace start stopped` first.')
  })

  it('refuses a paused workspace, pointing at `nexus workspace resume`', async () => {
    const workspace = await home.running(provider, 'paused')
    await provider.pause(workspace)
    const error = await failureOf(() => run(workspace, ['true']))
    expect(isNexusError(error) && error.suggestion).toBe('Run `nexus workspace resume paused` first.')
  })

  it('refuses a workspace whose worktree was deleted, suggesting repair', async () => {
    const workspace = await home.running(provider, 'no-tree')
    await rm(workspace.worktreePath, { recursive: true, force: true })
    const error = await failureOf(() => run(workspace, ['true']))
    expect(hasErrorCode(error, 'WORKSPACE_START_FAILED')).toBe(true)
    expect(isNexusError(error) && error.suggestion).toBe(
      'Run `nexus workspace repair no-tree` to restore it.',
    )
  })
})

describe('mock lifecycle transitions', () => {
  it('start resumes a paused workspace', async () => {
    const workspace = await home.running(provider, 'start-paused')
    await provider.pause(workspace)
    await provider.start(workspace)
    expect(await provider.inspect(workspace)).toEqual({ status: 'running' })
  })

  it('refuses to pause a stopped workspace and to resume one that is not paused', async () => {
    const workspace = await home.running(provider, 'transitions')
    await provider.stop(workspace)
    expect(hasErrorCode(await failureOf(() => provider.pause(workspace)), 'INVALID_TRANSITION')).toBe(true)
    expect(hasErrorCode(await failureOf(() => provider.resume(workspace)), 'INVALID_TRANSITION')).toBe(true)
  })

  it('says a created workspace that never ran is stopped, and why', async () => {
    const { workspace, spec } = await home.workspace('fresh')
    await provider.create({ workspace, spec })
    expect(await provider.inspect(workspace)).toEqual({ status: 'stopped', detail: 'created, never started' })
  })

  it('fails to start a workspace it holds nothing for, with WORKSPACE_NOT_FOUND', async () => {
    const { workspace } = await home.workspace('unknown')
    expect(hasErrorCode(await failureOf(() => provider.start(workspace)), 'WORKSPACE_NOT_FOUND')).toBe(true)
  })

  it('has no SSH endpoint, and says what to use instead', async () => {
    const workspace = await home.running(provider, 'no-ssh')
    const error = await failureOf(() => provider.sshEndpoint(workspace))
    expect(hasErrorCode(error, 'CAPABILITY_NOT_SUPPORTED')).toBe(true)
    expect(isNexusError(error) && error.suggestion).toMatch(/nexus workspace exec no-ssh/)
  })

  it('logs the recorded lifecycle events, honouring tail', async () => {
    const workspace = await home.running(provider, 'logged')
    await provider.pause(workspace)
    await provider.resume(workspace)
    await provider.stop(workspace)
    const all = captureStream()
    await provider.logs?.(workspace, { stdout: all.stream, stderr: all.stream })
    const events = all
      .text()
      .trimEnd()
      .split('\n')
      .map((line) => line.split(' ').slice(1).join(' '))
    expect(events).toEqual(['created', 'started', 'paused', 'resumed', 'stopped'])
    const tail = captureStream()
    await provider.logs?.(workspace, { stdout: tail.stream, stderr: tail.stream, tail: 2 })
    expect(tail.text()).toMatch(/^\S+ resumed\n\S+ stopped\n$/)
  })
})
