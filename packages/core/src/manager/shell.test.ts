import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import type { ExecRequest, Provider } from '../provider/index.js'
import { StateStore, liveSessions } from '../state/index.js'
import { makeTestWorkspace } from '../testing/index.js'
import type { Workspace } from '../workspace/index.js'
import { stubDeps, stubProvider } from './__tests__/stub-deps.js'
import { shellInWorkspace, sshEndpointFor } from './shell.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

/** A backend without SSH whose exec records each request, and what sessions were attached while it ran. */
function execOnlyProvider(
  stateRoot: string,
  seen: Array<{ request: ExecRequest; sessions: string[] }>,
): Provider {
  return stubProvider('exec-only', {
    capabilities: () => ({ ssh: false, exec: true }),
    exec: async (workspace, request) => {
      const sessions = (await liveSessions(stateRoot, workspace.id)).map((s) => s.kind)
      seen.push({ request, sessions })
      return { exitCode: 7 }
    },
  })
}

async function setup(status: Workspace['status'] = 'running') {
  const home = await mkdtemp(join(tmpdir(), 'nexus-shell-'))
  cleanups.push(() => rm(home, { recursive: true, force: true }))
  const seen: Array<{ request: ExecRequest; sessions: string[] }> = []
  const provider = execOnlyProvider(new StateStore(home).paths.root, seen)
  const deps = stubDeps(home, provider)
  const made = await makeTestWorkspace({ backend: 'exec-only', name: 'box' })
  cleanups.push(made.cleanup)
  const workspace: Workspace = { ...made.workspace, status }
  await deps.state.write(workspace)
  return { deps, workspace, provider, seen }
}

/** A stand-in for a terminal: raw mode switches are recorded, and it has a window size. */
function fakeTerminal() {
  const modes: boolean[] = []
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    setRawMode(raw: boolean) {
      modes.push(raw)
      return stdin
    },
  })
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 132, rows: 40 })
  return { stdin, stdout, modes }
}

describe('a shell on a backend without SSH', () => {
  it('runs a login shell through exec, as an attached session, with the terminal in raw mode meanwhile', async () => {
    const { deps, workspace, seen } = await setup()
    const terminal = fakeTerminal()
    const exitCode = await shellInWorkspace(deps, workspace, {
      command: [],
      stdin: terminal.stdin,
      stdout: terminal.stdout,
      stderr: new PassThrough(),
      tty: true,
    })
    expect(exitCode).toBe(7)
    const [{ request, sessions } = { request: undefined, sessions: [] }] = seen
    expect(request?.command.slice(0, 2)).toEqual(['sh', '-c'])
    expect(request?.command[2]).toContain('exec "$shell" -l')
    expect(request).toMatchObject({ tty: true, terminalSize: { cols: 132, rows: 40 } })
    expect(sessions).toEqual(['shell'])
    expect(terminal.modes).toEqual([true, false])
    expect(await liveSessions(deps.state.paths.root, workspace.id)).toEqual([])
  })

  it('runs a given command as is, and refuses a stopped workspace saying how to start it', async () => {
    const { deps, workspace, seen } = await setup()
    const io = { stdout: new PassThrough(), stderr: new PassThrough(), tty: false }
    await shellInWorkspace(deps, workspace, { command: ['ls', '-la'], ...io })
    expect(seen.map((s) => [s.request.command, s.sessions])).toEqual([[['ls', '-la'], ['exec']]])

    const stopped = await setup('stopped')
    await expect(
      shellInWorkspace(stopped.deps, stopped.workspace, { command: [], ...io }),
    ).rejects.toMatchObject({
      code: 'WORKSPACE_NOT_RUNNING',
      suggestion: 'Start it with `nexus workspace start box`.',
    })
    expect(stopped.seen).toEqual([])
  })

  it('has no endpoint to print, and says the shell still works', async () => {
    const { workspace, provider } = await setup()
    await expect(sshEndpointFor(workspace, provider)).rejects.toMatchObject({
      code: 'CAPABILITY_NOT_SUPPORTED',
      message: 'The exec-only backend of workspace "box" has no SSH endpoint.',
      suggestion: expect.stringContaining('Open a shell with `nexus workspace ssh box`'),
    })
  })
})
