import { hasErrorCode, runOperation } from '@nexus/core'
import { failureOf } from '@nexus/core/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MockHome } from './__tests__/mock-home.js'

let home: MockHome
beforeEach(async () => {
  home = await MockHome.create()
})
afterEach(async () => {
  await home.cleanup()
})

describe('mock capabilities', () => {
  it('by default runs commands, pauses, snapshots and keeps logs, but offers no SSH', async () => {
    const provider = await home.provider()
    expect(provider.capabilities()).toEqual({
      ssh: false,
      exec: true,
      pause: true,
      snapshots: true,
      logs: true,
    })
  })

  it('backends.mock.capabilities switches pause off: pause() and resume() refuse and the workspace keeps running', async () => {
    const provider = await home.provider({ capabilities: { pause: false } })
    expect(provider.capabilities()).toMatchObject({ pause: false, exec: true, snapshots: true })
    const workspace = await home.running(provider, 'no-pause')
    expect(hasErrorCode(await failureOf(() => provider.pause(workspace)), 'CAPABILITY_NOT_SUPPORTED')).toBe(
      true,
    )
    expect(hasErrorCode(await failureOf(() => provider.resume(workspace)), 'CAPABILITY_NOT_SUPPORTED')).toBe(
      true,
    )
    expect(await provider.inspect(workspace)).toEqual({ status: 'running' })
  })

  it('with snapshots off, core refuses the snapshot operations and no snapshot is written', async () => {
    const provider = await home.provider({ capabilities: { snapshots: false } })
    const workspace = await home.running(provider, 'no-snap')
    const error = await failureOf(() =>
      runOperation(provider, 'mock.snapshot.create', { snapshot: 's1' }, workspace),
    )
    expect(hasErrorCode(error, 'CAPABILITY_NOT_SUPPORTED')).toBe(true)
    const enabled = await home.provider()
    expect(await runOperation(enabled, 'mock.snapshot.list', {}, workspace)).toEqual([])
  })

  it('with exec off, exec() and mock.echo refuse even when called directly', async () => {
    const provider = await home.provider({ capabilities: { exec: false } })
    const workspace = await home.running(provider, 'no-exec')
    const sink = process.stderr
    const execError = await failureOf(() =>
      provider.exec?.(workspace, { command: ['true'], stdout: sink, stderr: sink }),
    )
    expect(hasErrorCode(execError, 'CAPABILITY_NOT_SUPPORTED')).toBe(true)
    const direct = await failureOf(() =>
      provider.runOperation({ id: 'mock.echo', params: { message: 'hi' } }),
    )
    expect(hasErrorCode(direct, 'CAPABILITY_NOT_SUPPORTED')).toBe(true)
  })

  it.each([
    ['a capability the mock cannot provide', { capabilities: { ssh: true } }, /cannot provide "ssh"/],
    ['a value that is not a boolean', { capabilities: { pause: 'no' } }, /must be true or false/],
    ['capabilities that are not a map', { capabilities: ['pause'] }, /must map capability names/],
  ])('rejects config with %s as CONFIG_INVALID', async (_case, config, message) => {
    const error = await failureOf(() => home.provider(config))
    expect(hasErrorCode(error, 'CONFIG_INVALID')).toBe(true)
    expect((error as Error).message).toMatch(message)
  })

  it('accepts switching off a capability it never had', async () => {
    const provider = await home.provider({ capabilities: { ssh: false, gpu: false } })
    expect(provider.capabilities()).toMatchObject({ ssh: false, gpu: false, exec: true })
  })
})
