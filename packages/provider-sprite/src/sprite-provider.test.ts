import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { promisify } from 'node:util'
import { nexusHomeId, type Workspace } from '@nexus/core'
import { captureStream, makeTestWorkspace, type TestWorkspace } from '@nexus/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CANARY_TOKEN, codedFailure, startTestBackend, type TestBackend } from './__tests__/helpers.js'
import type { SpriteProvider } from './sprite-provider.js'
import { WORKDIR, spriteNameFor } from './workspace/naming.js'

const run = promisify(execFile)

let backend: TestBackend
let provider: SpriteProvider
const made: TestWorkspace[] = []

beforeAll(async () => {
  backend = await startTestBackend()
  provider = await backend.provider()
})

afterAll(async () => {
  for (const workspace of made) await workspace.cleanup()
  await backend.cleanup()
})

async function draft(name: string, env: Record<string, string> = {}): Promise<TestWorkspace> {
  const workspace = await makeTestWorkspace({ backend: 'sprite', name })
  workspace.spec.env = env
  made.push(workspace)
  return workspace
}

async function createRunning(test: TestWorkspace, options: Record<string, string> = {}): Promise<Workspace> {
  const { backendRef } = await provider.create({ workspace: test.workspace, spec: { ...test.spec, options } })
  const created: Workspace = { ...test.workspace, status: 'stopped', backendRef }
  await provider.start(created)
  return { ...created, status: 'running' }
}

async function execute(
  workspace: Workspace,
  command: string[],
  extra: { stdin?: Readable; env?: Record<string, string> } = {},
) {
  const stdout = captureStream()
  const stderr = captureStream()
  const { exitCode } = await provider.exec(workspace, {
    command,
    stdout: stdout.stream,
    stderr: stderr.stream,
    ...extra,
  })
  return { exitCode, stdout: stdout.text(), stderr: stderr.text() }
}

function spriteDir(workspace: Workspace, path = WORKDIR): string {
  const sprite = backend.fake.state.sprites.get(spriteNameFor(workspace))
  if (!sprite) throw new Error(`no sprite for ${workspace.name}`)
  return backend.fake.state.hostPath(sprite, path)
}

describe('the sprite provider against the fake Sprites API', () => {
  it('creates a labelled sprite holding the worktree files git knows, without .git or ignored files', async () => {
    const test = await draft('files')
    const worktree = test.workspace.worktreePath
    await writeFile(join(worktree, '.gitignore'), 'build/\n')
    await writeFile(join(worktree, 'untracked.txt'), 'new\n')
    await run('mkdir', ['-p', join(worktree, 'build')])
    await writeFile(join(worktree, 'build', 'out.bin'), 'ignored\n')
    const { backendRef } = await provider.create({ workspace: test.workspace, spec: test.spec })

    const name = spriteNameFor(test.workspace)
    expect(backendRef).toEqual({ sprite: name, workdir: WORKDIR })
    expect(name).toMatch(/^nexus-repo-files$/)
    const sprite = backend.fake.state.sprites.get(name)
    expect(sprite?.labels).toEqual([
      'nexus',
      `nexus-home-${nexusHomeId(backend.nexusHome)}`,
      `nexus-ws-${test.workspace.id}`,
      'nexus-stopped',
    ])
    const inside = spriteDir(test.workspace)
    expect(await readFile(join(inside, 'README.md'), 'utf8')).toContain('# files')
    expect(await readFile(join(inside, 'untracked.txt'), 'utf8')).toBe('new\n')
    await expect(stat(join(inside, '.git'))).rejects.toThrow()
    await expect(stat(join(inside, 'build'))).rejects.toThrow()
    expect((await provider.inspect({ ...test.workspace, backendRef })).status).toBe('stopped')
  })

  it('runs argv faithfully: quotes, spaces and exit codes, with stdin and streamed output', async () => {
    const workspace = await createRunning(await draft('exec'))
    expect(await execute(workspace, ['sh', '-c', 'echo "a  b"; exit 3'])).toEqual({
      exitCode: 3,
      stdout: 'a  b\n',
      stderr: '',
    })
    const piped = await execute(workspace, ['sh', '-c', 'tr a-z A-Z; echo done >&2'], {
      stdin: Readable.from(['shout\n']),
    })
    expect(piped).toEqual({ exitCode: 0, stdout: 'SHOUT\n', stderr: 'done\n' })
    expect((await execute(workspace, ['sh', '-c', 'exit 255'])).exitCode).toBe(255)
  })

  it('runs a TTY session at the given size and forwards resizes until it ends', async () => {
    const workspace = await createRunning(await draft('tty'))
    const before = backend.fake.state.terminalSizes.length
    let resize: ((size: { cols: number; rows: number }) => void) | undefined
    let unsubscribed = false
    const out = captureStream()
    const running = provider.exec(workspace, {
      command: ['sh', '-c', 'read line; echo "got $line"'],
      stdin: Readable.from(
        (async function* () {
          await new Promise((resolve) => setTimeout(resolve, 300))
          resize?.({ cols: 120, rows: 40 })
          await new Promise((resolve) => setTimeout(resolve, 100))
          yield 'hello\n'
        })(),
      ),
      stdout: out.stream,
      stderr: out.stream,
      tty: true,
      terminalSize: { cols: 100, rows: 30 },
      onResize: (listener) => {
        resize = listener
        return () => void (unsubscribed = true)
      },
    })
    expect((await running).exitCode).toBe(0)
    expect(out.text()).toContain('got hello')
    expect(backend.fake.state.terminalSizes.slice(before)).toEqual([
      { cols: 100, rows: 30 },
      { cols: 120, rows: 40 },
    ])
    expect(unsubscribed).toBe(true)
  })

  it('gives commands the workspace env, with the call’s own env on top', async () => {
    const workspace = await createRunning(await draft('env', { FROM_SPEC: "it's spec", SHARED: 'spec' }))
    const result = await execute(workspace, ['sh', '-c', 'printf "%s|%s" "$FROM_SPEC" "$SHARED"'], {
      env: { SHARED: 'call $x' },
    })
    expect(result.stdout).toBe("it's spec|call $x")
  })

  it('clones --from inside the sprite instead of copying the worktree', async () => {
    const origin = await mkdtemp(join(tmpdir(), 'nexus-sprite-origin-'))
    try {
      const git = (...args: string[]) =>
        run('git', ['-c', 'user.name=t', '-c', 'user.email=t@nexus.invalid', ...args], { cwd: origin })
      await git('init', '-q', '-b', 'main')
      await writeFile(join(origin, 'cloned.txt'), 'from origin\n')
      await git('add', '-A')
      await git('commit', '-q', '-m', 'c')
      await git('branch', 'feature')
      const workspace = await createRunning(await draft('clone'), { gitUrl: origin, gitBranch: 'feature' })
      const result = await execute(workspace, ['sh', '-c', 'cat cloned.txt; git rev-parse --abbrev-ref HEAD'])
      expect(result.stdout).toBe('from origin\nfeature\n')
      await expect(stat(join(spriteDir(workspace), 'README.md'))).rejects.toThrow()
    } finally {
      await rm(origin, { recursive: true, force: true })
    }
  })

  it('maps sprite states: cold is stopped, warm is running, stop marks it until start', async () => {
    const workspace = await createRunning(await draft('states'))
    const name = spriteNameFor(workspace)
    expect(backend.fake.state.sprites.get(name)?.status).toBe('warm')
    expect(await provider.inspect(workspace)).toMatchObject({
      status: 'running',
      detail: expect.stringContaining('nexus workspace ssh states'),
    })
    backend.fake.state.makeCold(name)
    expect((await provider.inspect(workspace)).status).toBe('stopped')
    await provider.start(workspace)
    expect((await provider.inspect(workspace)).status).toBe('running')
    await provider.stop(workspace)
    expect(backend.fake.state.sprites.get(name)?.labels).toContain('nexus-stopped')
    expect((await provider.inspect(workspace)).status).toBe('stopped')
  })

  it('refuses an SSH endpoint and pause honestly, saying how to get a shell', async () => {
    const test = await draft('honest')
    const ssh = await codedFailure(() => provider.sshEndpoint(test.workspace), 'CAPABILITY_NOT_SUPPORTED')
    expect(ssh.suggestion).toContain('nexus workspace ssh honest')
    await codedFailure(() => provider.pause(), 'CAPABILITY_NOT_SUPPORTED')
  })

  it('keeps the token out of backendRef, list() and health()', async () => {
    const workspace = await createRunning(await draft('secret'))
    const everything = JSON.stringify([workspace.backendRef, await provider.list(), await provider.health()])
    expect(everything).not.toContain(CANARY_TOKEN)
    expect(await provider.health()).toMatchObject({ ok: true })
  })
})
