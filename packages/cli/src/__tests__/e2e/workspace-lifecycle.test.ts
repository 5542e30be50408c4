import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DestroyResult, LifecycleResult, Workspace, WorkspaceInfo } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, parseErrorDocument, STACK_TRACE, type Sandbox } from './harness.js'

// Two blocks of ten ports: alpha and beta fill the range, so a third workspace fits only once one is destroyed.
const PORT_RANGE = '{start: 21700, end: 21719}'

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await createSandbox({ portsRange: PORT_RANGE })
})

afterAll(async () => {
  await sandbox?.cleanup()
})

const worktree = (name: string): string => join(sandbox.repo, '.nexus', 'worktrees', name)

describe('two workspaces on the mock backend', () => {
  let alpha: Workspace
  let beta: Workspace

  beforeAll(async () => {
    const created = await sandbox.nexus([
      'workspace',
      'create',
      'alpha',
      '--backend',
      'mock',
      '--label',
      'team=web',
    ])
    expect(created.code, created.stderr).toBe(0)
    expect(created.stdout).toContain('Created workspace alpha (mock, running)')
    expect(created.stdout).toContain('nexus workspace exec alpha -- <command>')
    beta = await sandbox.json<Workspace>(['ws', 'create', 'beta', '--backend', 'mock'])
    ;[alpha] = (await sandbox.json<Workspace[]>(['ws', 'ls'])).filter((w) => w.name === 'alpha') as [
      Workspace,
    ]
  })

  it('gives each its own worktree on its own branch', async () => {
    expect(alpha.worktreePath).toBe(worktree('alpha'))
    expect(beta.worktreePath).toBe(worktree('beta'))
    expect(await sandbox.git(['rev-parse', '--abbrev-ref', 'HEAD'], worktree('alpha'))).toBe('nexus/alpha')
    expect(await sandbox.git(['rev-parse', '--abbrev-ref', 'HEAD'], worktree('beta'))).toBe('nexus/beta')
    expect(await sandbox.git(['branch', '--list', 'nexus/*', '--format=%(refname:short)'])).toBe(
      'nexus/alpha\nnexus/beta',
    )
  })

  it('lists both, running, with disjoint port blocks', async () => {
    const listed = await sandbox.json<Workspace[]>(['ws', 'ls'])
    expect(listed.map((w) => [w.name, w.status, w.backend]).sort()).toEqual([
      ['alpha', 'running', 'mock'],
      ['beta', 'running', 'mock'],
    ])
    const [a, b] = listed.sort((x, y) => x.name.localeCompare(y.name)) as [Workspace, Workspace]
    expect(Math.abs(a.portBlockStart - b.portBlockStart)).toBeGreaterThanOrEqual(10)
    const hostPorts = (w: Workspace): number[] => w.ports.map((p) => p.hostPort)
    expect(hostPorts(a).filter((port) => hostPorts(b).includes(port))).toEqual([])
    for (const port of [...hostPorts(a), ...hostPorts(b)]) expect(port).toBeGreaterThanOrEqual(21700)
  })

  it('filters the list by label and renders a table', async () => {
    expect(
      (await sandbox.json<Workspace[]>(['workspace', 'list', '--label', 'team=web'])).map((w) => w.name),
    ).toEqual(['alpha'])
    const table = await sandbox.nexus(['workspace', 'list'])
    expect(table.stdout).toMatch(/^NAME\s+STATUS\s+BACKEND\s+BRANCH\s+PORTS\n/)
    expect(table.stdout).toMatch(/alpha\s+running\s+mock\s+nexus\/alpha/)
  })

  it('runs commands in the workspace: output, exit code, stdin, --json capture', async () => {
    const branch = await sandbox.nexus([
      'workspace',
      'exec',
      'alpha',
      '--',
      'git',
      'rev-parse',
      '--abbrev-ref',
      'HEAD',
    ])
    expect(branch).toMatchObject({ code: 0, stdout: 'nexus/alpha\n' })
    expect((await sandbox.nexus(['ws', 'exec', 'alpha', '--', 'sh', '-c', 'exit 7'])).code).toBe(7)
    expect((await sandbox.nexus(['ws', 'exec', 'alpha', '--', 'cat'], { input: 'piped in\n' })).stdout).toBe(
      'piped in\n',
    )
    const captured = await sandbox.nexus([
      'ws',
      'exec',
      'alpha',
      '--json',
      '--',
      'sh',
      '-c',
      'echo out; echo err >&2; exit 3',
    ])
    expect(captured.code).toBe(3)
    expect(JSON.parse(captured.stdout)).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' })
    const env = await sandbox.nexus([
      'ws',
      'exec',
      'alpha',
      '--env',
      'GREETING=hi there',
      '--',
      'sh',
      '-c',
      'echo "$GREETING"',
    ])
    expect(env.stdout).toBe('hi there\n')
  })

  it('reports live details through info and its show alias', async () => {
    const info = await sandbox.json<WorkspaceInfo>(['ws', 'show', 'alpha'])
    expect(info).toMatchObject({ name: 'alpha', backend: 'mock', status: 'running', branch: 'nexus/alpha' })
    expect(info.live.status).toBe('running')
    expect(info.capabilities).toContain('exec')
    expect(
      info.ports.every((p) => typeof p.containerPort === 'number' && typeof p.hostPort === 'number'),
    ).toBe(true)
    const text = await sandbox.nexus(['workspace', 'info', 'alpha'])
    expect(text.stdout).toMatch(/^name:\s+alpha$/m)
    expect(text.stdout).toMatch(/^branch:\s+nexus\/alpha$/m)
  })

  it('stops, starts, pauses and resumes, saying when nothing changed', async () => {
    const stopped = await sandbox.json<LifecycleResult>(['workspace', 'down', 'beta'])
    expect(stopped).toMatchObject({ unchanged: false, workspace: { status: 'stopped' } })
    expect((await sandbox.nexus(['ws', 'stop', 'beta'])).stdout).toBe('Workspace beta is already stopped.\n')
    const notRunning = await sandbox.nexus(['ws', 'exec', 'beta', '--json', '--', 'true'])
    expect(parseErrorDocument(notRunning.stdout).error.code).toBe('WORKSPACE_NOT_RUNNING')
    expect((await sandbox.nexus(['workspace', 'up', 'beta'])).stdout).toBe('Started workspace beta.\n')
    expect((await sandbox.nexus(['ws', 'start', 'beta'])).stdout).toBe('Workspace beta is already running.\n')
    expect((await sandbox.json<LifecycleResult>(['ws', 'pause', 'beta'])).workspace.status).toBe('paused')
    expect((await sandbox.json<LifecycleResult>(['ws', 'resume', 'beta'])).workspace.status).toBe('running')
  })

  it('shows the logs the backend keeps', async () => {
    const logs = await sandbox.json<{ stdout: string; stderr: string }>(['ws', 'logs', 'beta'])
    expect(logs.stdout).toMatch(/stopped/)
    const tail = await sandbox.nexus(['ws', 'logs', 'beta', '--tail', '1'])
    expect(tail.stdout.trim().split('\n')).toHaveLength(1)
  })

  it('refuses ssh on a backend without it, pointing at exec', async () => {
    const result = await sandbox.nexus(['workspace', 'ssh', 'alpha', '--json'])
    expect(result.code).toBe(1)
    const { error } = parseErrorDocument(result.stdout)
    expect(error.code).toBe('CAPABILITY_NOT_SUPPORTED')
    expect(error.suggestion).toContain('nexus workspace exec alpha')
  })

  it('refuses to destroy uncommitted work until --force, then frees the worktree and the port block', async () => {
    // The range holds two blocks, both taken.
    const full = await sandbox.nexus(['ws', 'create', 'gamma', '--backend', 'mock', '--json'])
    expect(parseErrorDocument(full.stdout).error.code).toBe('PORTS_EXHAUSTED')

    await writeFile(join(worktree('alpha'), 'notes.txt'), 'unsaved work\n')
    const refused = await sandbox.nexus(['workspace', 'destroy', 'alpha'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('Error [UNCOMMITTED_CHANGES]')
    expect(refused.stderr).toContain('--force')
    expect(refused.stderr).not.toMatch(STACK_TRACE)
    const refusedJson = await sandbox.nexus(['workspace', 'rm', 'alpha', '--json'])
    expect(parseErrorDocument(refusedJson.stdout).error.code).toBe('UNCOMMITTED_CHANGES')
    expect(existsSync(join(worktree('alpha'), 'notes.txt'))).toBe(true)

    const destroyed = await sandbox.json<DestroyResult>(['ws', 'rm', 'alpha', '--force'])
    expect(destroyed.workspace.name).toBe('alpha')
    expect(destroyed.branchDeleted).toBe(true)
    expect(existsSync(worktree('alpha'))).toBe(false)
    expect(await sandbox.git(['worktree', 'list', '--porcelain'])).not.toContain('alpha')
    expect((await sandbox.json<Workspace[]>(['ws', 'ls'])).map((w) => w.name)).toEqual(['beta'])

    const gamma = await sandbox.json<Workspace>(['ws', 'create', 'gamma', '--backend', 'mock'])
    expect(gamma.portBlockStart).toBe(alpha.portBlockStart)
  })

  it('says in text whether the branch was deleted or kept', async () => {
    await sandbox.git(['commit', '--allow-empty', '-m', 'work on gamma'], worktree('gamma'))
    const kept = await sandbox.nexus(['ws', 'destroy', 'gamma'])
    expect(kept.code).toBe(0)
    expect(kept.stdout).toContain('Destroyed workspace gamma')
    expect(kept.stdout).toMatch(/Branch nexus\/gamma kept: it has commits/)
    const deleted = await sandbox.nexus(['ws', 'destroy', 'beta'])
    expect(deleted.stdout).toContain('Branch nexus/beta deleted')
    expect(await sandbox.git(['branch', '--list', 'nexus/beta'])).toBe('')
  })
})
