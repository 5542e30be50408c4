import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import type { Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BIN,
  STACK_TRACE,
  createSandbox,
  docker,
  dockerAvailable,
  parseErrorDocument,
  type RunResult,
  type Sandbox,
} from './harness.js'

// Issue #6's Docker edge cases through the built CLI, against the real engine: what the user sees when they happen.
const execFileAsync = promisify(execFile)
const BASE_IMAGE = 'nexus-base:bookworm'
const CRASHING_IMAGE = `nexus-e2e-crashing:${process.pid}`

let sandbox: Sandbox
const created: string[] = []

function ok(result: RunResult, what: string): string {
  expect(result.code, `${what}: ${result.stdout}${result.stderr}`).toBe(0)
  return result.stdout
}

async function create(name: string, ...flags: string[]): Promise<RunResult> {
  created.push(name)
  return sandbox.nexus(['workspace', 'create', name, '--backend', 'docker', '--json', ...flags])
}

function inspect<T>(container: string, format: string): Promise<T> {
  return docker(['inspect', '--format', `{{json ${format}}}`, container]).then(
    (text) => JSON.parse(text) as T,
  )
}

/**
 * The sshd the workspace entrypoint execs, replaced by a script that fails the way a broken app image does (all on
 * stderr, so the order of its lines in the log is fixed).
 */
async function buildCrashingImage(): Promise<void> {
  const dir = await mkdtemp(join(sandbox.root, 'crashing-'))
  const script = String.raw`printf '#!/bin/sh\necho "app: reading /etc/app.conf" >&2\necho "fatal: /etc/app.conf is missing" >&2\nexit 3\n'`
  await writeFile(join(dir, 'Dockerfile'), `FROM ${BASE_IMAGE}\nRUN ${script} > /usr/sbin/sshd\n`)
  await docker(['build', '-q', '-t', CRASHING_IMAGE, dir])
}

/** Runs a shell line as a separate process in a mount namespace of its own (root only: `unshare -m`). */
function inPrivateMountNamespace(line: string, env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['-m', 'sh', '-c', line], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

const engineUp = await dockerAvailable()
const isRoot = process.getuid?.() === 0

beforeAll(async () => {
  if (!engineUp) return
  sandbox = await createSandbox()
  ok(await sandbox.nexus(['config', 'set', 'backends.docker.base_image', BASE_IMAGE]), 'config set')
  await buildCrashingImage()
}, 120_000)

afterAll(async () => {
  if (!sandbox) return
  for (const name of created) await sandbox.nexus(['workspace', 'destroy', name, '--force', '--volumes'])
  const label = `label=dev.nexus.repo=${sandbox.repo}`
  const ids = (args: string[]) => docker(args).then((out) => out.split('\n').filter(Boolean))
  const containers = await ids(['ps', '-aq', '--filter', label])
  if (containers.length) await docker(['rm', '-f', ...containers])
  for (const kind of ['network', 'volume']) {
    const found = await ids([kind, 'ls', '-q', '--filter', label])
    if (found.length) await docker([kind, 'rm', ...found]).catch(() => undefined)
  }
  await docker(['rmi', '-f', CRASHING_IMAGE]).catch(() => undefined)
  const layered = await ids(['images', '-q', '--filter', `label=dev.nexus.base=${CRASHING_IMAGE}`])
  if (layered.length) await docker(['rmi', '-f', ...layered]).catch(() => undefined)
  await sandbox.cleanup()
}, 120_000)

describe.skipIf(!engineUp)('edge cases: Lifecycle', () => {
  it('create while the engine is down → BACKEND_UNAVAILABLE (nexus CLI)', async () => {
    const dead = `unix:///tmp/nexus-nope-${process.pid}.sock`
    const result = await sandbox.nexus(['workspace', 'create', 'down', '--backend', 'docker', '--json'], {
      env: { DOCKER_HOST: dead },
    })
    expect(result.code).toBe(1)
    const { error } = parseErrorDocument(result.stdout)
    expect(error.code).toBe('BACKEND_UNAVAILABLE')
    expect(error.message).toContain(`The Docker engine at ${dead} does not answer`)
    expect(error.suggestion).toMatch(/Start Docker/)
    expect(result.stderr).not.toMatch(STACK_TRACE)
    // Nothing half-made: no record, no worktree, no branch.
    expect(await sandbox.json<Workspace[]>(['workspace', 'ls'])).toEqual([])
    expect(existsSync(join(sandbox.repo, '.nexus', 'worktrees', 'down'))).toBe(false)
    expect(await sandbox.git(['branch', '--list', 'nexus/down'])).toBe('')
  })
})

describe.skipIf(!engineUp)('edge cases: Container', () => {
  it('exits immediately → logs shown, no restart loop (nexus CLI)', async () => {
    const result = await sandbox.nexus(
      ['workspace', 'create', 'crash', '--backend', 'docker', '--image', CRASHING_IMAGE],
      {},
    )
    created.push('crash')
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('Error [WORKSPACE_START_FAILED]')
    expect(result.stderr).toContain(
      'the container exited with code 3. Its last output: app: reading /etc/app.conf | fatal: /etc/app.conf is missing\n',
    )
    expect(result.stderr).toMatch(/→ Fix the image or its entrypoint/)
    expect(result.stderr).not.toMatch(STACK_TRACE)
    const container = `nexus-${sandbox.repo.split('/').pop()}-crash`
    await sleep(1_500)
    expect(await inspect(container, '.State.Status')).toBe('exited')
    expect(await inspect(container, '.RestartCount')).toBe(0)
  })

  it('OOM-killed → "out of memory", bigger class suggested (nexus CLI)', async () => {
    ok(await create('hungry', '--memory', '0.125'), 'create --memory 0.125')
    const result = await sandbox.nexus([
      ...['workspace', 'exec', 'hungry', '--'],
      ...['python3', '-c', 'x = bytearray(512 * 1024 ** 2)'],
    ])
    expect(result.code).toBe(137)
    expect(result.stderr).toContain('The command ran out of memory (limit 128 MiB) and was killed.')
    expect(result.stderr).toMatch(/--resources small` \(2 GiB\), or `--memory 1`/)
    const info = await sandbox.json<{ live: { status: string; detail: string } }>([
      ...['workspace', 'info', 'hungry'],
    ])
    expect(info.live.status).toBe('running')
    expect(info.live.detail).toMatch(/killed a process in it for running out of memory.*--resources small/)
  })

  it.skipIf(!isRoot)('bind mount denied → fix instructions (nexus CLI)', async () => {
    // The repository lives on a tmpfs only this process tree can see — as a path outside Docker Desktop's file
    // sharing, or on a host a remote engine is not on, is invisible to the engine.
    const hidden = join(sandbox.root, 'hidden')
    await mkdir(hidden)
    const clone = join(hidden, 'repo')
    const line = [
      `mount -t tmpfs tmpfs ${hidden}`,
      `git clone -q ${sandbox.repo} ${clone}`,
      `cd ${clone}`,
      `exec ${process.execPath} ${BIN} workspace create shared --backend docker --json`,
    ].join(' && ')
    const result = await inPrivateMountNamespace(line, sandbox.env)
    expect(result.code, result.stderr).toBe(77)
    const { error } = parseErrorDocument(result.stdout)
    expect(error.code).toBe('PERMISSION_DENIED')
    expect(error.message).toMatch(/may not mount .*hidden\/repo.* into workspace "shared"/)
    expect(error.suggestion).toMatch(/File sharing.*nexus workspace start shared/)
    expect(result.stderr).not.toMatch(STACK_TRACE)
    // Nothing left in the engine for it.
    expect(await docker(['ps', '-aq', '--filter', `label=dev.nexus.repo=${clone}`])).toBe('')
    await rm(hidden, { recursive: true, force: true })
  })
})

describe.skipIf(!engineUp)('edge cases: Ports', () => {
  it('start with its ports now taken → the container publishes the new ports (nexus CLI)', async () => {
    const workspace = JSON.parse(ok(await create('moved'), 'create moved')) as Workspace
    ok(await sandbox.nexus(['workspace', 'stop', 'moved']), 'stop')
    const sshPort = workspace.ports.find((p) => p.name === 'ssh')?.hostPort as number
    const squatter: Server = createServer((socket) => socket.end('not sshd\n'))
    await new Promise<void>((resolve) => squatter.listen(sshPort, '127.0.0.1', resolve))
    try {
      const started = await sandbox.nexus(['workspace', 'start', 'moved'])
      ok(started, 'start with the ssh port taken')
      const moved = await sandbox.json<Workspace>(['workspace', 'info', 'moved'])
      const newPort = moved.ports.find((p) => p.name === 'ssh')?.hostPort as number
      expect(newPort).not.toBe(sshPort)
      const bindings = await inspect<Record<string, Array<{ HostIp: string; HostPort: string }>>>(
        String(moved.backendRef?.container),
        '.HostConfig.PortBindings',
      )
      expect(bindings['22/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(newPort) }])
      const echoed = await sandbox.nexus(['workspace', 'exec', 'moved', '--', 'echo', 'moved-ok'])
      expect(ok(echoed, 'exec after the move')).toBe('moved-ok\n')
      const { stdout } = await execFileAsync('ssh-keyscan', ['-p', String(newPort), '127.0.0.1'])
      expect(stdout).toContain('127.0.0.1')
    } finally {
      squatter.close()
    }
  })
})
