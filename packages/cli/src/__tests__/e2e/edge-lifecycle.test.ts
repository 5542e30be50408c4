import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { LifecycleResult, Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createSandbox,
  docker,
  dockerAvailable,
  parseErrorDocument,
  runNexus,
  STACK_TRACE,
  type Sandbox,
} from './harness.js'

const execFileAsync = promisify(execFile)

// Ten blocks of ten, apart from the ranges the other e2e files use.
const PORT_RANGE = '{start: 22300, end: 22399}'
const IS_ROOT = process.getuid?.() === 0
const HAS_DOCKER = await dockerAvailable()
// `docker pull` cannot work on this machine: the workspace image is built from the local base image.
const BASE_IMAGE = 'nexus-base:bookworm'

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await createSandbox({ portsRange: PORT_RANGE })
})

afterAll(async () => {
  await sandbox?.cleanup()
})

interface HistoryLine {
  workspaceId: string
  event: string
}

/** What the mock backend did to a workspace, in order; its history outlives a destroy. */
async function backendHistory(id: string): Promise<string[]> {
  const text = await readFile(join(sandbox.nexusHome, 'providers', 'mock', 'history.jsonl'), 'utf8')
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as HistoryLine)
    .filter((line) => line.workspaceId === id)
    .map((line) => line.event)
}

async function createMock(name: string, ...extra: string[]): Promise<Workspace> {
  return sandbox.json<Workspace>(['workspace', 'create', name, '--backend', 'mock', ...extra])
}

async function names(): Promise<string[]> {
  return (await sandbox.json<Workspace[]>(['ws', 'ls'])).map((w) => w.name).sort()
}

async function branches(): Promise<string> {
  return sandbox.git(['branch', '--list', 'nexus/*', '--format=%(refname:short)'])
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server))
  })
}

describe('edge cases: Lifecycle', () => {
  it('create with an existing name → ALREADY_EXISTS suggesting switch', async () => {
    const first = await createMock('taken')
    const again = await sandbox.nexus(['ws', 'create', 'taken', '--backend', 'mock', '--json'])
    expect(again.code).toBe(1)
    const { error } = parseErrorDocument(again.stdout)
    expect(error.code).toBe('WORKSPACE_ALREADY_EXISTS')
    expect(error.message).toContain('"taken" already exists')
    expect(error.suggestion).toContain('nexus workspace switch taken')
    // The first workspace is untouched: same record, still running.
    const [still] = (await sandbox.json<Workspace[]>(['ws', 'ls'])).filter((w) => w.name === 'taken')
    expect(still).toMatchObject({ id: first.id, status: 'running', portBlockStart: first.portBlockStart })
    expect(await readdir(join(sandbox.repo, '.nexus', 'worktrees'))).toContain('taken')
  })

  it('invalid name → INVALID_NAME with a valid suggestion', async () => {
    const result = await sandbox.nexus(['ws', 'create', 'My Feature!', '--backend', 'mock'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('INVALID_NAME')
    expect(result.stderr).toContain('is not a valid workspace name')
    expect(result.stderr).not.toMatch(STACK_TRACE)
    const suggested = /Try `([^`]+)`/.exec(result.stderr)?.[1]
    expect(suggested).toBe('my-feature')
    expect(await names()).not.toContain('my-feature')
    // The suggestion really is a valid name: creating with it works.
    await createMock(suggested ?? '')
    expect(await names()).toContain('my-feature')
    expect(existsSync(join(sandbox.repo, '.nexus', 'worktrees', 'My Feature!'))).toBe(false)
  })

  it('reserved name → RESERVED_NAME', async () => {
    const before = await branches()
    const result = await sandbox.nexus(['ws', 'create', 'current', '--backend', 'mock', '--json'])
    expect(result.code).toBe(2)
    const { error } = parseErrorDocument(result.stdout)
    expect(error.code).toBe('RESERVED_NAME')
    expect(error.message).toContain('"current" is reserved')
    expect(error.suggestion).toContain('current-1')
    expect(await names()).not.toContain('current')
    expect(await branches()).toBe(before)
  })

  it.skipIf(!IS_ROOT)('create with < 1 GB free disk → RESOURCE_EXHAUSTED (cleanup hint)', async () => {
    const mountPoint = join(sandbox.root, 'small-disk')
    await mkdir(mountPoint)
    await execFileAsync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mountPoint])
    try {
      const repo = join(mountPoint, 'repo')
      await mkdir(repo)
      await sandbox.git(['init', '--quiet', '--initial-branch=main'], repo)
      await writeFile(join(repo, 'README.md'), '# small\n')
      await sandbox.git(['add', '.'], repo)
      await sandbox.git(['commit', '--quiet', '-m', 'init'], repo)
      const before = (await sandbox.json<Workspace[]>(['ws', 'ls'])).length

      const result = await sandbox.nexus(['ws', 'create', 'tiny', '--backend', 'mock', '--json'], {
        cwd: repo,
      })
      expect(result.code).toBe(1)
      const { error } = parseErrorDocument(result.stdout)
      expect(error.code).toBe('RESOURCE_EXHAUSTED')
      expect(error.message).toMatch(/Only \d+ MiB is free on the disk holding the repository/)
      expect(error.message).toContain('at least 1.0 GiB')
      expect(error.suggestion).toContain('nexus workspace cleanup')
      // Checked before anything was written: no worktree, no branch, no record, not even .git/info/exclude.
      expect(existsSync(join(repo, '.nexus'))).toBe(false)
      expect(await sandbox.git(['branch', '--list', 'nexus/*'], repo)).toBe('')
      expect(await readFile(join(repo, '.git', 'info', 'exclude'), 'utf8')).not.toContain('.nexus')
      expect((await sandbox.json<Workspace[]>(['ws', 'ls'])).length).toBe(before)
    } finally {
      await execFileAsync('umount', [mountPoint])
    }
  })

  it('clone failure retried 3× then reported', async () => {
    // A working --from first: the mock clones into its own directory and runs commands there.
    const cloned = await createMock('cloned', '--from', sandbox.repo)
    const pwd = await sandbox.nexus(['ws', 'exec', 'cloned', '--', 'sh', '-c', 'pwd && cat README.md'])
    expect(pwd.stdout).toContain(join(sandbox.nexusHome, 'providers', 'mock', 'clones', cloned.id))
    expect(pwd.stdout).toContain('# e2e')

    const missing = `file://${join(sandbox.root, 'no-such-repo.git')}`
    const started = Date.now()
    const result = await sandbox.nexus([
      'ws',
      'create',
      'noclone',
      '--backend',
      'mock',
      '--from',
      missing,
      '--json',
    ])
    const elapsed = Date.now() - started
    expect(result.code).toBe(1)
    const { error } = parseErrorDocument(result.stdout)
    expect(error.code).toBe('GIT_ERROR')
    expect(error.message).toContain(`Cloning ${missing} failed 3 times`)
    expect(error.message).toMatch(/does not exist|not found|not appear to be a git repository/)
    expect(error.suggestion).toContain('Check the URL')
    // Two back-offs (1 s, then 2 s) lie between the three attempts.
    expect(elapsed).toBeGreaterThanOrEqual(3000)
    // Nothing of the failed create is left: no record, worktree, branch, backend state or clone directory.
    expect(await names()).not.toContain('noclone')
    expect(existsSync(join(sandbox.repo, '.nexus', 'worktrees', 'noclone'))).toBe(false)
    expect(await branches()).not.toContain('nexus/noclone')
    const clones = await readdir(join(sandbox.nexusHome, 'providers', 'mock', 'clones'))
    expect(clones).toEqual([cloned.id])
  })

  it('destroy running → stop first', async () => {
    const workspace = await createMock('running-victim')
    const result = await sandbox.nexus(['ws', 'destroy', 'running-victim'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('Destroyed workspace running-victim')
    // The backend saw a graceful stop before the removal, not a removal of a running workspace.
    expect((await backendHistory(workspace.id)).slice(-4)).toEqual([
      'started',
      'stopping',
      'stopped',
      'destroyed',
    ])
    expect(await names()).not.toContain('running-victim')
  })

  it('destroy missing → WORKSPACE_NOT_FOUND exit 1', async () => {
    const before = await names()
    const result = await sandbox.nexus(['ws', 'destroy', 'never-made'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('WORKSPACE_NOT_FOUND')
    expect(result.stderr).toContain('No workspace named "never-made"')
    expect(result.stderr).toContain('nexus workspace ls')
    expect(result.stderr).not.toMatch(STACK_TRACE)
    expect(await names()).toEqual(before)
  })

  it('destroy while a session is attached → refuse without --force', async () => {
    const workspace = await createMock('attached')
    const sessionsDir = join(sandbox.nexusHome, 'state', 'sessions', workspace.id)
    // A session that ends normally leaves no trace.
    expect((await sandbox.nexus(['ws', 'exec', 'attached', '--tty', '--', 'true'])).code).toBe(0)
    expect(await readdir(sessionsDir).catch(() => [])).toEqual([])

    const session = runNexus(['ws', 'exec', 'attached', '--tty', '--', 'sleep', '15'], {
      cwd: sandbox.repo,
      env: sandbox.env,
    })
    const pid = await waitForSession(workspace.id)
    expect(await sessionFiles(workspace.id)).toHaveLength(1)

    const refused = await sandbox.nexus(['ws', 'destroy', 'attached', '--json'])
    expect(refused.code).toBe(1)
    const { error } = parseErrorDocument(refused.stdout)
    expect(error.code).toBe('WORKSPACE_BUSY')
    expect(error.message).toContain(`1 attached session(s) (exec, pid ${pid})`)
    expect(error.suggestion).toContain('--force')
    const [still] = (await sandbox.json<Workspace[]>(['ws', 'ls'])).filter((w) => w.name === 'attached')
    expect(still?.status).toBe('running')

    // A session whose nexus process died (kill -9: no cleanup ran) no longer counts.
    process.kill(pid, 'SIGKILL')
    await session
    expect(await readdir(sessionsDir)).toHaveLength(1)
    const destroyed = await sandbox.nexus(['ws', 'destroy', 'attached'])
    expect(destroyed.code, destroyed.stderr).toBe(0)
    expect(existsSync(sessionsDir)).toBe(false)
  })

  it('destroy while a session is attached → refuse without --force (a shell through native exec)', async () => {
    // The mock has no SSH endpoint: `ws ssh` runs through the backend's exec, and counts as attached all the same.
    const workspace = await createMock('native-shell')
    const session = runNexus(['ws', 'ssh', 'native-shell', '--', 'sleep', '15'], {
      cwd: sandbox.repo,
      env: sandbox.env,
    })
    const pid = await waitForSession(workspace.id)
    expect(await sessionFiles(workspace.id)).toHaveLength(1)
    const refused = await sandbox.nexus(['ws', 'destroy', 'native-shell', '--json'])
    expect(refused.code).toBe(1)
    expect(parseErrorDocument(refused.stdout).error.message).toContain(`(exec, pid ${pid})`)
    process.kill(pid, 'SIGKILL')
    await session
    expect((await sandbox.nexus(['ws', 'destroy', 'native-shell'])).code).toBe(0)
  })

  it('destroy while a session is attached → --force destroys it anyway', async () => {
    await createMock('forced')
    const session = runNexus(['ws', 'exec', 'forced', '--tty', '--', 'sleep', '3'], {
      cwd: sandbox.repo,
      env: sandbox.env,
    })
    const workspace = (await sandbox.json<Workspace[]>(['ws', 'ls'])).find((w) => w.name === 'forced')
    await waitForSession(workspace?.id ?? '')
    const destroyed = await sandbox.nexus(['ws', 'destroy', 'forced', '--force'])
    expect(destroyed.code, destroyed.stderr).toBe(0)
    expect(await names()).not.toContain('forced')
    await session
  })

  it('start running → "already running"', async () => {
    const workspace = await createMock('up')
    const before = await backendHistory(workspace.id)
    const result = await sandbox.nexus(['ws', 'start', 'up'])
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toBe('Workspace up is already running.')
    const json = await sandbox.json<LifecycleResult>(['ws', 'start', 'up'])
    expect(json.unchanged).toBe(true)
    expect(json.workspace.status).toBe('running')
    // Nothing was asked of the backend.
    expect(await backendHistory(workspace.id)).toEqual(before)
  })

  it('start with its ports now taken → reassign + warning', async () => {
    const workspace = await createMock('moved', '--port', 'web=3000')
    expect((await sandbox.nexus(['ws', 'stop', 'moved'])).code).toBe(0)
    const web = workspace.ports.find((p) => p.name === 'web')?.hostPort ?? 0
    const squatter = await listen(web)
    try {
      const result = await sandbox.nexus(['ws', 'start', 'moved', '--json'])
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toContain(`Warning: Port(s) web ${web} were taken by another program`)
      const started = (JSON.parse(result.stdout) as LifecycleResult).workspace
      expect(started.status).toBe('running')
      expect(started.portBlockStart).not.toBe(workspace.portBlockStart)
      expect(result.stderr).toContain(
        `moved to ports ${started.portBlockStart}–${started.portBlockStart + 9}`,
      )
      const newWeb = started.ports.find((p) => p.name === 'web')
      expect(newWeb).toMatchObject({ containerPort: 3000, hostPort: started.portBlockStart + 1 })
      // The new block is what state records, and it is disjoint from every other workspace's.
      const all = await sandbox.json<Workspace[]>(['ws', 'ls'])
      expect(all.find((w) => w.name === 'moved')?.ports).toEqual(started.ports)
      const others = all.filter((w) => w.name !== 'moved').flatMap((w) => w.ports.map((p) => p.hostPort))
      for (const port of started.ports) expect(others).not.toContain(port.hostPort)
    } finally {
      squatter.close()
    }
  })

  it('stop stopped → "already stopped"', async () => {
    const workspace = await createMock('down')
    expect((await sandbox.nexus(['ws', 'stop', 'down'])).code).toBe(0)
    const before = await backendHistory(workspace.id)
    const result = await sandbox.nexus(['ws', 'stop', 'down'])
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toBe('Workspace down is already stopped.')
    expect((await sandbox.json<LifecycleResult>(['ws', 'stop', 'down'])).unchanged).toBe(true)
    expect(await backendHistory(workspace.id)).toEqual(before)
  })
})

/** The session files of a workspace (`<pid>-…`), without the temporary files of an atomic write. */
async function sessionFiles(workspaceId: string): Promise<string[]> {
  const dir = join(sandbox.nexusHome, 'state', 'sessions', workspaceId)
  return (await readdir(dir).catch(() => [] as string[])).filter((f) => !f.startsWith('.'))
}

/** Waits until a session of the workspace is registered; returns the pid of the nexus process holding it. */
async function waitForSession(workspaceId: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const [first] = await sessionFiles(workspaceId)
    if (first !== undefined) return Number(first.split('-')[0])
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`no session appeared for workspace ${workspaceId}`)
}

// The same cases where the backend is real: Docker publishes the ports and runs sshd.
describe.skipIf(!HAS_DOCKER)('edge cases: Lifecycle', () => {
  let dock: Workspace

  beforeAll(async () => {
    expect((await sandbox.nexus(['config', 'set', 'backends.docker.base_image', BASE_IMAGE])).code).toBe(0)
    dock = await sandbox.json<Workspace>(['ws', 'create', 'dock', '--backend', 'docker'])
  }, 300_000)

  afterAll(async () => {
    await sandbox.nexus(['ws', 'destroy', 'dock', '--force'])
  })

  it('start with its ports now taken → reassign + warning (Docker publishes the new ports)', async () => {
    expect((await sandbox.nexus(['ws', 'stop', 'dock'])).code).toBe(0)
    const ssh = dock.ports.find((p) => p.name === 'ssh')?.hostPort ?? 0
    const squatter = await listen(ssh)
    try {
      const result = await sandbox.nexus(['ws', 'start', 'dock', '--json'])
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toContain(`Warning: Port(s) ssh ${ssh} were taken by another program`)
      const started = (JSON.parse(result.stdout) as LifecycleResult).workspace
      const newSsh = started.ports.find((p) => p.name === 'ssh')?.hostPort
      expect(newSsh).toBe(started.portBlockStart)
      expect(newSsh).not.toBe(ssh)
      const container = await docker(['ps', '-q', '--filter', `label=dev.nexus.workspace-id=${dock.id}`])
      expect(await docker(['port', container, '22/tcp'])).toContain(`127.0.0.1:${newSsh}`)
      // sshd answers on the new port: the workspace is usable where state says it is.
      const over = await sandbox.nexus(['ws', 'ssh', 'dock', '--', 'echo', 'reached'])
      expect(over.stdout, over.stderr).toBe('reached\n')
      dock = started
    } finally {
      squatter.close()
    }
  }, 120_000)

  it('destroy while a session is attached → refuse without --force (Docker, over SSH)', async () => {
    const session = runNexus(['ws', 'ssh', 'dock', '--', 'sleep', '4'], {
      cwd: sandbox.repo,
      env: sandbox.env,
    })
    const pid = await waitForSession(dock.id)
    const refused = await sandbox.nexus(['ws', 'destroy', 'dock', '--json'])
    expect(refused.code).toBe(1)
    const { error } = parseErrorDocument(refused.stdout)
    expect(error.code).toBe('WORKSPACE_BUSY')
    expect(error.message).toContain(`(ssh, pid ${pid})`)
    const still = await docker(['ps', '-q', '--filter', `label=dev.nexus.workspace-id=${dock.id}`])
    expect(still).not.toBe('')
    // The session ends by itself and releases the workspace.
    expect((await session).code).toBe(0)
    expect(await readdir(join(sandbox.nexusHome, 'state', 'sessions', dock.id))).toEqual([])
  }, 120_000)
})
