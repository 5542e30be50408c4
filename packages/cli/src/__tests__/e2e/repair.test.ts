import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RepairReport, Workspace } from '@nexus/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSandbox, parseErrorDocument, STACK_TRACE, type Sandbox } from './harness.js'
import { killNexusWhen, recordsOnDisk, statusIs } from './kill-helpers.js'

// Repair on the mock backend: every way a workspace can be left half-done or half-gone, and what repair makes of it.
let sandbox: Sandbox
const stateDir = () => join(sandbox.nexusHome, 'state', 'workspaces')
const worktree = (name: string) => join(sandbox.repo, '.nexus', 'worktrees', name)

async function slowMock(latency: Record<string, number>): Promise<void> {
  await mkdir(join(sandbox.repo, '.nexus'), { recursive: true })
  const config = { defaults: { backend: 'mock' }, backends: { mock: { latency_ms: latency } } }
  await writeFile(join(sandbox.repo, '.nexus', 'config.yaml'), JSON.stringify(config))
}

async function repairAll(): Promise<RepairReport> {
  const result = await sandbox.nexus(['workspace', 'repair', '--all', '--json'])
  expect(result.code, result.stdout + result.stderr).toBe(0)
  return JSON.parse(result.stdout) as RepairReport
}

/**
 * What a destroy killed right after it recorded `destroying` leaves: the record in `destroying`, everything else in
 * place. (On the mock backend the window between that write and the removal is too short to hit with a kill; the
 * Docker tests and the chaos run kill real destroys.)
 */
async function destroyKilledAfterDestroying(name: string): Promise<void> {
  await sandbox.nexus(['workspace', 'stop', name])
  const [record] = (await recordsOnDisk(sandbox)).filter((w) => w.name === name)
  if (!record) throw new Error(`no record for ${name}`)
  const file = join(stateDir(), `${record.id}.json`)
  await writeFile(`${file}.tmp`, JSON.stringify({ ...record, status: 'destroying' }, null, 2))
  await rename(`${file}.tmp`, file)
}

async function branches(): Promise<string[]> {
  const out = await sandbox.git(['branch', '--list', 'nexus/*', '--format=%(refname:short)'])
  return out.split('\n').filter(Boolean)
}

beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(() => sandbox.cleanup())

describe('edge cases: Chaos — interrupted commands, then nexus workspace repair', () => {
  it('a create killed half-way (kill -9) → previous state intact; repair rolls it back and releases its ports', async () => {
    await slowMock({ create: 5_000 })
    await sandbox.json(['workspace', 'create', 'keep'])
    const { killed } = await killNexusWhen(sandbox, ['workspace', 'create', 'half'], {
      condition: async () =>
        (await statusIs(sandbox, 'half', 'pending')()) && existsSync(join(worktree('half'), '.git')),
    })
    expect(killed).toBe(true)
    expect((await recordsOnDisk(sandbox)).map((w) => `${w.name}:${w.status}`).sort()).toEqual([
      'half:pending',
      'keep:running',
    ])

    const report = await repairAll()
    expect(report.actions).toContainEqual(
      expect.objectContaining({
        subject: 'half',
        outcome: 'fixed',
        problem: expect.stringMatching(/create was interrupted/),
      }),
    )
    expect((await recordsOnDisk(sandbox)).map((w) => w.name)).toEqual(['keep'])
    expect(existsSync(worktree('half'))).toBe(false)
    expect(await branches()).toEqual(['nexus/keep'])
    expect(await readdir(join(sandbox.nexusHome, 'state', 'locks')).catch(() => [])).toEqual([])
    // The same create now simply works again.
    expect((await sandbox.json<Workspace>(['workspace', 'create', 'half'])).status).toBe('running')
  })

  it('state write interrupted (kill -9) → previous state intact (atomic), repair finishes', async () => {
    await slowMock({})
    const delays = [60, 150, 250, 350, 450, 600, 800, 1_000]
    for (const [i, afterMs] of delays.entries()) {
      await killNexusWhen(sandbox, ['workspace', 'create', `w${i}`], { afterMs })
      // Whatever the moment of the kill, every record on disk parses: the old document or the new, never a torn one.
      await recordsOnDisk(sandbox)
    }
    const report = await repairAll()
    expect(report.ok).toBe(true)
    const records = await recordsOnDisk(sandbox)
    expect(records.every((w) => w.status === 'running' || w.status === 'stopped')).toBe(true)
    // Nothing is left that belongs to no workspace: worktrees and branches match the records one to one.
    const names = records.map((w) => w.name).sort()
    const trees = (
      await readdir(join(sandbox.repo, '.nexus', 'worktrees')).catch(() => [] as string[])
    ).sort()
    expect(trees).toEqual(names)
    expect((await branches()).sort()).toEqual(names.map((n) => `nexus/${n}`))
    expect(await readdir(join(sandbox.nexusHome, 'state', 'locks')).catch(() => [])).toEqual([])
    expect((await repairAll()).actions).toEqual([])
  })

  it('a destroy killed half-way → repair finishes it: record, worktree, branch and ports gone', async () => {
    await sandbox.json(['workspace', 'create', 'gone', '--backend', 'mock'])
    await destroyKilledAfterDestroying('gone')
    const report = await repairAll()
    expect(report.actions).toContainEqual(
      expect.objectContaining({
        subject: 'gone',
        outcome: 'fixed',
        problem: expect.stringMatching(/destroy was interrupted/),
      }),
    )
    expect(await recordsOnDisk(sandbox)).toEqual([])
    expect(existsSync(worktree('gone'))).toBe(false)
    expect(await branches()).toEqual([])
  })

  it('repair never deletes a file with uncommitted changes: a killed destroy keeps the worktree and says what to do', async () => {
    await sandbox.json(['workspace', 'create', 'work', '--backend', 'mock'])
    const canary = join(worktree('work'), 'canary.txt')
    await destroyKilledAfterDestroying('work')
    // The user saves a file while the destroy is under way.
    await writeFile(canary, 'precious\n')

    for (let run = 0; run < 2; run++) {
      const result = await sandbox.nexus(['workspace', 'repair', '--all', '--json'])
      expect(result.code).toBe(1)
      const { error } = parseErrorDocument(result.stdout)
      expect(error.code).toBe('UNCOMMITTED_CHANGES')
      expect(error.suggestion).toContain(`nexus workspace destroy work`)
      expect(await readFile(canary, 'utf8')).toBe('precious\n')
    }
    const [record] = await recordsOnDisk(sandbox)
    expect(record).toMatchObject({
      name: 'work',
      status: 'error',
      lastError: { code: 'UNCOMMITTED_CHANGES' },
    })
    expect(await branches()).toEqual(['nexus/work'])
    const text = await sandbox.nexus(['workspace', 'repair', 'work'])
    expect(text.stdout).toMatch(
      /^! work: A destroy was interrupted and the worktree has uncommitted changes \(canary\.txt\)/m,
    )
    expect(text.stderr).toMatch(/^Error \[UNCOMMITTED_CHANGES\]/m)
    expect(text.stderr).not.toMatch(STACK_TRACE)

    // Once the work is committed, repair finishes the destroy; the branch holding the commit stays.
    await sandbox.git(['add', 'canary.txt'], worktree('work'))
    await sandbox.git(['commit', '-q', '-m', 'save the canary'], worktree('work'))
    expect((await repairAll()).ok).toBe(true)
    expect(await recordsOnDisk(sandbox)).toEqual([])
    expect(await branches()).toEqual(['nexus/work'])
    expect(await sandbox.git(['show', 'nexus/work:canary.txt'])).toBe('precious')
  })
})

describe("edge cases: Chaos — parts removed behind nexus's back (mock), then nexus workspace repair", () => {
  it("a worktree removed behind nexus's back → detected with the repair hint; repair adds it back", async () => {
    await sandbox.json(['workspace', 'create', 'tree', '--backend', 'mock'])
    await writeFile(join(worktree('tree'), 'committed.txt'), 'kept in git\n')
    await sandbox.git(['add', 'committed.txt'], worktree('tree'))
    await sandbox.git(['commit', '-q', '-m', 'work'], worktree('tree'))
    await sandbox.nexus(['workspace', 'stop', 'tree'])
    await rm(worktree('tree'), { recursive: true, force: true })

    const start = await sandbox.nexus(['workspace', 'start', 'tree'])
    expect(start.code).not.toBe(0)
    expect(start.stderr).toContain('nexus workspace repair tree')
    const doctor = await sandbox.nexus(['doctor'])
    expect(doctor.stdout).toMatch(/workspaces:mock: .*tree: its worktree .* is gone/)
    expect(doctor.stdout).toContain('→ nexus workspace repair tree')

    const report = await sandbox.json<RepairReport>(['workspace', 'repair', 'tree'])
    expect(report.actions.map((a) => a.outcome)).toEqual(['fixed'])
    expect(await readFile(join(worktree('tree'), 'committed.txt'), 'utf8')).toBe('kept in git\n')
    expect((await sandbox.nexus(['workspace', 'start', 'tree'])).code).toBe(0)
  })

  it("a state file truncated behind nexus's back → detected with the repair hint; repair rebuilds it", async () => {
    const created = await sandbox.json<Workspace>(['workspace', 'create', 'torn', '--backend', 'mock'])
    const file = join(stateDir(), `${created.id}.json`)
    const text = await readFile(file, 'utf8')
    await writeFile(file, text.slice(0, Math.floor(text.length / 3)))

    expect((await sandbox.json<Workspace[]>(['workspace', 'ls'])).map((w) => w.name)).toEqual([])
    const doctor = await sandbox.nexus(['doctor'])
    expect(doctor.stdout).toMatch(/✖ state: Unreadable workspace records/)
    expect(doctor.stdout).toContain('nexus workspace repair --all')

    const report = await repairAll()
    expect(report.actions[0]).toMatchObject({
      subject: 'torn',
      outcome: 'fixed',
      action: expect.stringMatching(/^Rebuilt the record/),
    })
    const [rebuilt] = await sandbox.json<Workspace[]>(['workspace', 'ls'])
    expect(rebuilt).toMatchObject({
      id: created.id,
      name: 'torn',
      status: 'running',
      backend: 'mock',
      worktreePath: created.worktreePath,
      portBlockStart: created.portBlockStart,
    })
    // The torn file is kept aside, not deleted.
    expect((await readdir(stateDir())).filter((n) => n.includes('.corrupt-'))).toHaveLength(1)
    expect((await sandbox.nexus(['workspace', 'exec', 'torn', '--', 'true'])).code).toBe(0)
  })

  it("a state file removed behind nexus's back → detected with the repair hint; repair rebuilds it from the backend and the event log", async () => {
    const created = await sandbox.json<Workspace>(['workspace', 'create', 'lost', '--backend', 'mock'])
    await rm(join(stateDir(), `${created.id}.json`))
    expect(await sandbox.json<Workspace[]>(['workspace', 'ls'])).toEqual([])
    const doctor = await sandbox.nexus(['doctor'])
    expect(doctor.stdout).toMatch(
      /orphans:mock: 1 mock resource belong to no known workspace: mock-workspace lost/,
    )
    expect(doctor.stdout).toContain('nexus workspace repair --all')

    const report = await sandbox.json<RepairReport>(['workspace', 'repair', 'lost'])
    expect(report.actions[0]).toMatchObject({ subject: 'lost', outcome: 'fixed' })
    expect(await sandbox.json<Workspace[]>(['workspace', 'ls'])).toEqual([
      expect.objectContaining({ id: created.id, name: 'lost', status: 'running' }),
    ])
    expect((await sandbox.nexus(['workspace', 'exec', 'lost', '--', 'true'])).code).toBe(0)
  })

  it('a state file nothing can be rebuilt from is moved aside, never deleted', async () => {
    await mkdir(stateDir(), { recursive: true })
    await writeFile(join(stateDir(), 'stray.json'), '{"schemaVersion": 1, "id": "str')
    const report = await repairAll()
    expect(report.actions).toEqual([
      expect.objectContaining({
        outcome: 'fixed',
        action: expect.stringMatching(/^Move it aside to stray\.json\.corrupt-\d+/),
      }),
    ])
    expect((await readdir(stateDir())).filter((n) => n.startsWith('stray.json.corrupt-'))).toHaveLength(1)
  })

  it('a lock left by a killed command is removed; a dry run lists without changing anything', async () => {
    await sandbox.json(['workspace', 'create', 'x', '--backend', 'mock'])
    await sandbox.nexus(['workspace', 'stop', 'x'])
    const lock = join(sandbox.nexusHome, 'state', 'locks', 'ws-dead-x.lock')
    await mkdir(lock, { recursive: true })
    const old = new Date(Date.now() - 60_000)
    await utimes(lock, old, old)
    await rm(worktree('x'), { recursive: true, force: true })

    const dry = await sandbox.json<RepairReport>(['workspace', 'repair', '--all', '--dry-run'])
    expect(dry.actions.map((a) => [a.subject, a.outcome])).toEqual([
      ['x', 'planned'],
      ['ws-dead-x', 'planned'],
    ])
    expect(existsSync(lock)).toBe(true)
    expect(existsSync(worktree('x'))).toBe(false)

    const report = await repairAll()
    expect(report.actions.map((a) => [a.subject, a.outcome])).toEqual([
      ['x', 'fixed'],
      ['ws-dead-x', 'fixed'],
    ])
    expect(existsSync(lock)).toBe(false)
  })

  it('refuses a call without a name or --all, and names an unknown workspace, with coded errors', async () => {
    const neither = await sandbox.nexus(['workspace', 'repair', '--json'])
    expect(neither.code).toBe(2)
    expect(parseErrorDocument(neither.stdout).error.code).toBe('INVALID_ARGUMENT')
    const unknown = await sandbox.nexus(['workspace', 'repair', 'nope'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/^Error \[WORKSPACE_NOT_FOUND\]/m)
  })
})
