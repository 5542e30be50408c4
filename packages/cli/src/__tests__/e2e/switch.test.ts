import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import type { StateEvent, SwitchResult, Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BIN,
  createSandbox,
  dockerAvailable,
  parseErrorDocument,
  type RunResult,
  type Sandbox,
} from './harness.js'

const execFileAsync = promisify(execFile)

function ok(result: RunResult, what: string): string {
  expect(result.code, `${what}: ${result.stdout}${result.stderr}`).toBe(0)
  return result.stdout.trim()
}

async function statuses(sandbox: Sandbox): Promise<Record<string, string>> {
  const listed = await sandbox.json<Workspace[]>(['workspace', 'ls'])
  return Object.fromEntries(listed.map((w) => [w.name, w.status]))
}

function currentFile(sandbox: Sandbox): Promise<string> {
  return readFile(join(sandbox.repo, '.nexus', 'current'), 'utf8')
}

describe('nexus workspace switch on the mock backend', () => {
  let sandbox: Sandbox
  const worktree = (name: string): string => join(sandbox.repo, '.nexus', 'worktrees', name)
  const switchTo = (name: string, ...flags: string[]) =>
    sandbox.json<SwitchResult>(['workspace', 'switch', name, ...flags])

  beforeAll(async () => {
    sandbox = await createSandbox()
    for (const name of ['a', 'b']) ok(await sandbox.nexus(['ws', 'create', name, '--backend', 'mock']), name)
  }, 60_000)

  afterAll(async () => {
    await sandbox?.cleanup()
  })

  it('has no current workspace before the first switch', async () => {
    const text = await sandbox.nexus(['workspace', 'current'])
    expect(text).toMatchObject({ code: 0, stdout: '' })
    expect(await sandbox.json(['ws', 'current'])).toEqual({ name: null })
  })

  it('prints only the worktree path on stdout and records the workspace as current', async () => {
    const switched = await sandbox.nexus(['workspace', 'switch', 'a'])
    expect(switched.code, switched.stderr).toBe(0)
    expect(switched.stdout).toBe(`${worktree('a')}\n`)
    expect(switched.stderr).toContain('On workspace a (mock, running).')
    expect(await currentFile(sandbox)).toBe('a\n')
    expect(ok(await sandbox.nexus(['workspace', 'current']), 'current')).toBe('a')
  })

  it('pauses the workspace it leaves, by default', async () => {
    const result = await switchTo('b')
    expect(result.previous).toEqual({ name: 'a', action: 'paused' })
    expect(result.workspace).toMatchObject({ name: 'b', status: 'running' })
    expect(result.worktreePath).toBe(worktree('b'))
    expect(await statuses(sandbox)).toEqual({ a: 'paused', b: 'running' })
    expect(await currentFile(sandbox)).toBe('b\n')
  })

  it('does nothing when switching to the current, running workspace', async () => {
    const result = await sandbox.json<SwitchResult>(['ws', 'sw', 'b'])
    expect(result.previous).toBeNull()
    expect(result.workspace.status).toBe('running')
    expect(await statuses(sandbox)).toEqual({ a: 'paused', b: 'running' })
    expect(await currentFile(sandbox)).toBe('b\n')
  })

  it("records each switch in the event log as the target's operation", async () => {
    const log = await readFile(join(sandbox.nexusHome, 'state', 'events.jsonl'), 'utf8')
    const switches = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as StateEvent)
      .filter((event) => event.operation === 'switch')
    expect(switches.map((event) => [event.workspace, event.result])).toEqual([
      ['a', 'ok'],
      ['b', 'ok'],
      ['b', 'ok'],
    ])
  })

  it('stops the workspace it leaves with switch.previous: stop, and resumes a paused target', async () => {
    ok(await sandbox.nexus(['config', 'set', 'switch.previous', 'stop']), 'config set')
    const result = await switchTo('a')
    expect(result.previous).toEqual({ name: 'b', action: 'stopped' })
    expect(await statuses(sandbox)).toEqual({ a: 'running', b: 'stopped' })
  })

  it('keeps the workspace it leaves running with switch.previous: keep, and starts a stopped target', async () => {
    ok(await sandbox.nexus(['config', 'set', 'switch.previous', 'keep']), 'config set')
    const result = await switchTo('b')
    expect(result.previous).toEqual({ name: 'a', action: 'kept' })
    expect(await statuses(sandbox)).toEqual({ a: 'running', b: 'running' })
    ok(await sandbox.nexus(['config', 'unset', 'switch.previous']), 'config unset')
  })

  it('lets --previous override the config for one switch', async () => {
    const result = await switchTo('a', '--previous', 'stop')
    expect(result.previous).toEqual({ name: 'b', action: 'stopped' })
    expect(await statuses(sandbox)).toEqual({ a: 'running', b: 'stopped' })
  })

  it('prints a line that a shell can eval to cd into the worktree and export the workspace', async () => {
    const script = 'eval "$("$NODE" "$BIN" workspace switch --shell b)" && pwd && echo "$NEXUS_WORKSPACE"'
    const { stdout } = await execFileAsync('sh', ['-c', script], {
      cwd: sandbox.repo,
      env: { ...sandbox.env, NODE: process.execPath, BIN },
    })
    expect(stdout.trim().split('\n')).toEqual([worktree('b'), 'b'])
    expect(await statuses(sandbox)).toEqual({ a: 'paused', b: 'running' })
  })

  it('refuses --shell with --json, as a coded error', async () => {
    const result = await sandbox.nexus(['workspace', 'switch', 'a', '--shell', '--json'])
    expect(result.code).toBe(2)
    expect(parseErrorDocument(result.stdout).error.code).toBe('INVALID_ARGUMENT')
  })

  it('keeps the previous workspace running, with a warning, when its backend cannot pause', async () => {
    ok(await sandbox.nexus(['workspace', 'resume', 'a']), 'resume a')
    ok(await sandbox.nexus(['config', 'set', 'backends.mock.capabilities', '{pause: false}']), 'config set')
    const switched = await sandbox.nexus(['workspace', 'switch', 'a'])
    expect(switched.code, switched.stderr).toBe(0)
    expect(switched.stderr).toMatch(/Warning: The mock backend cannot pause workspaces, so b keeps running/)
    expect(switched.stderr).toContain('b is still running')
    expect(await statuses(sandbox)).toEqual({ a: 'running', b: 'running' })
    ok(await sandbox.nexus(['config', 'unset', 'backends.mock.capabilities']), 'config unset')
  })

  it('fails with WORKSPACE_NOT_FOUND for a destroyed workspace, leaving the current one as it was', async () => {
    ok(await sandbox.nexus(['ws', 'create', 'gone', '--backend', 'mock']), 'create')
    ok(await sandbox.nexus(['ws', 'destroy', 'gone', '--force']), 'destroy')
    const result = await sandbox.nexus(['workspace', 'switch', 'gone', '--json'])
    expect(result.code).toBe(1)
    const { error } = parseErrorDocument(result.stdout)
    expect(error.code).toBe('WORKSPACE_NOT_FOUND')
    expect(error.suggestion).toContain('nexus workspace ls')
    expect(await currentFile(sandbox)).toBe('a\n')
  })

  it('forgets a current workspace that was destroyed', async () => {
    ok(await sandbox.nexus(['ws', 'destroy', 'a', '--force']), 'destroy a')
    expect(await sandbox.json(['ws', 'current'])).toEqual({ name: null })
    const result = await switchTo('b')
    expect(result.previous).toBeNull()
    expect(ok(await sandbox.nexus(['ws', 'current']), 'current')).toBe('b')
  })
})

const BASE_IMAGE = 'nexus-base:bookworm'
const engineUp = await dockerAvailable()

/** GET on the host: the body, or the reason it failed within `timeoutMs`. */
async function fetchText(port: number, timeoutMs: number): Promise<string> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(timeoutMs) })
    return `${response.status} ${await response.text()}`
  } catch (error) {
    return `failed: ${(error as Error).name}`
  }
}

/** The server may still be binding right after it was started: retry for a few seconds. */
async function fetchWhenUp(port: number): Promise<string> {
  let answer = ''
  for (let attempt = 0; attempt < 50 && !answer.startsWith('200'); attempt++) {
    if (attempt > 0) await sleep(100)
    answer = await fetchText(port, 1_000)
  }
  return answer
}

describe.skipIf(!engineUp)('nexus workspace switch on Docker keeps a dev server alive', () => {
  let sandbox: Sandbox
  let webPort: number
  let serverPid: string

  beforeAll(async () => {
    sandbox = await createSandbox()
    await mkdir(join(sandbox.repo, '.nexus'))
    const config = { backends: { docker: { base_image: BASE_IMAGE } } }
    await writeFile(join(sandbox.repo, '.nexus', 'config.yaml'), JSON.stringify(config))
    const [a] = await Promise.all([
      sandbox.json<Workspace>(['workspace', 'create', 'a', '--backend', 'docker', '--port', 'web=8000']),
      sandbox.json<Workspace>(['workspace', 'create', 'b', '--backend', 'docker']),
    ])
    webPort = a.ports.find((port) => port.name === 'web')?.hostPort ?? 0
  }, 180_000)

  afterAll(async () => {
    if (!sandbox) return
    for (const name of ['a', 'b']) await sandbox.nexus(['workspace', 'destroy', name, '--force', '--volumes'])
    await sandbox.cleanup()
  }, 60_000)

  it('serves from A on its published port once A is current', async () => {
    expect(webPort).toBeGreaterThan(0)
    const serve = 'nohup python3 -m http.server 8000 >/dev/null 2>&1 & echo $!'
    serverPid = ok(await sandbox.nexus(['workspace', 'exec', 'a', '--', 'sh', '-c', serve]), 'serve')
    expect(serverPid).toMatch(/^\d+$/)
    expect(ok(await sandbox.nexus(['workspace', 'switch', 'a']), 'switch a')).toBe(
      join(sandbox.repo, '.nexus', 'worktrees', 'a'),
    )
    expect(await fetchWhenUp(webPort)).toMatch(/^200 /)
  })

  it('freezes A when switching to B: the server no longer answers', async () => {
    const result = await sandbox.json<SwitchResult>(['workspace', 'switch', 'b'])
    expect(result.previous).toEqual({ name: 'a', action: 'paused' })
    expect(await statuses(sandbox)).toEqual({ a: 'paused', b: 'running' })
    expect(await fetchText(webPort, 1_000)).toMatch(/^failed/)
  })

  it('thaws A on the way back: same host port, same server process', async () => {
    const result = await sandbox.json<SwitchResult>(['workspace', 'switch', 'a'])
    expect(result.previous).toEqual({ name: 'b', action: 'paused' })
    expect(result.workspace.ports.find((port) => port.name === 'web')?.hostPort).toBe(webPort)
    expect(await fetchText(webPort, 2_000)).toMatch(/^200 /)
    const cmdline = await sandbox.nexus(['workspace', 'exec', 'a', '--', 'cat', `/proc/${serverPid}/cmdline`])
    expect(ok(cmdline, 'cmdline').replaceAll('\0', ' ')).toContain('python3 -m http.server 8000')
  })
})
