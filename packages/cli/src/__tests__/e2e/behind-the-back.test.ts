import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RepairReport, Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { labelledResources, removeLabelled } from './docker-leftovers.js'
import { createSandbox, docker, dockerAvailable, parseErrorDocument, type Sandbox } from './harness.js'
import { killNexusWhen, recordsOnDisk, statusIs } from './kill-helpers.js'

// Parts of Docker workspaces removed or broken behind nexus's back, and kill -9 of a real destroy: what detects
// each, and what `nexus workspace repair` makes of it. The built CLI against the real engine.
const engineUp = await dockerAvailable()
let sandbox: Sandbox
const worktree = (name: string) => join(sandbox.repo, '.nexus', 'worktrees', name)

interface DoctorReport {
  checks: Array<{ id: string; status: string; message: string; fix?: string }>
}

async function create(name: string): Promise<Workspace> {
  return sandbox.json<Workspace>(['workspace', 'create', name, '--backend', 'docker'])
}

function containerName(name: string): string {
  return `nexus-${sandbox.repo.split('/').pop()}-${name}`
}

async function containerState(name: string): Promise<string> {
  return docker(['inspect', '--format', '{{.State.Status}}', containerName(name)]).catch(() => 'missing')
}

async function execOut(name: string, command: string[]): Promise<string> {
  const result = await sandbox.nexus(['workspace', 'exec', name, '--', ...command])
  expect(result.code, result.stderr).toBe(0)
  return result.stdout.trim()
}

describe.skipIf(!engineUp)("edge cases: Chaos — Docker workspaces broken behind nexus's back", () => {
  beforeAll(async () => {
    sandbox = await createSandbox()
    await mkdir(join(sandbox.repo, '.nexus'))
    const config = { backends: { docker: { base_image: 'nexus-base:bookworm' } } }
    await writeFile(join(sandbox.repo, '.nexus', 'config.yaml'), JSON.stringify(config))
  }, 60_000)

  afterAll(async () => {
    if (!sandbox) return
    await removeLabelled(sandbox)
    await sandbox.cleanup()
  }, 60_000)

  it("a container removed behind nexus's back → detected with the repair hint; repair recreates it", async () => {
    await create('box')
    await docker(['rm', '-f', containerName('box')])

    const info = await sandbox.json<{ status: string; live: { status: string } }>([
      'workspace',
      'info',
      'box',
    ])
    expect(info).toMatchObject({ status: 'running', live: { status: 'missing' } })
    const doctor = JSON.parse((await sandbox.nexus(['doctor', '--json'])).stdout) as DoctorReport
    expect(doctor.checks.find((c) => c.id === 'workspaces:docker')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('box: docker holds nothing for it'),
      fix: 'nexus workspace repair box',
    })

    const report = await sandbox.json<RepairReport>(['workspace', 'repair', 'box'])
    expect(report.actions).toEqual([
      expect.objectContaining({
        outcome: 'fixed',
        action: 'Recreate it on docker from the record and start it.',
      }),
    ])
    expect(await containerState('box')).toBe('running')
    expect(await execOut('box', ['cat', '/workspace/README.md'])).toBe('# e2e')
    expect((await sandbox.json<RepairReport>(['workspace', 'repair', 'box'])).actions).toEqual([])
  }, 120_000)

  it("a container made with --image and removed behind nexus's back → repair recreates it from that image, not config's", async () => {
    // A second name for the base image: a workspace run from it must come back from it, and a repair that fell
    // back to config would build and run the config's image instead.
    const pinned = `nexus-e2e-pinned-${sandbox.repo.split('/').pop()}:1`
    await docker(['tag', 'nexus-base:bookworm', pinned])
    let ran = ''
    try {
      const created = await sandbox.json<Workspace>([
        'workspace',
        'create',
        'pinned',
        '--backend',
        'docker',
        '--image',
        pinned,
      ])
      expect(created.backendOptions).toEqual({ image: pinned })
      // Docker runs a layer nexus adds on top of the given image (the user and sshd setup), named after it.
      ran = await docker(['inspect', '--format', '{{.Config.Image}}', containerName('pinned')])
      expect(ran).toContain('nexus-e2e-pinned')
      await docker(['rm', '-f', containerName('pinned')])

      const report = await sandbox.json<RepairReport>(['workspace', 'repair', 'pinned'])
      expect(report.actions).toEqual([expect.objectContaining({ outcome: 'fixed' })])
      expect(await docker(['inspect', '--format', '{{.Config.Image}}', containerName('pinned')])).toBe(ran)
      expect(await execOut('pinned', ['cat', '/workspace/README.md'])).toBe('# e2e')
    } finally {
      await sandbox.nexus(['workspace', 'destroy', 'pinned', '--force'])
      await docker(['rmi', ...(ran ? [ran] : []), pinned]).catch(() => undefined)
    }
  }, 120_000)

  it("a worktree removed behind nexus's back → detected with the repair hint; repair adds it back and remounts it", async () => {
    await create('tree')
    await writeFile(join(worktree('tree'), 'work.txt'), 'committed work\n')
    await sandbox.git(['add', 'work.txt'], worktree('tree'))
    await sandbox.git(['commit', '-q', '-m', 'work'], worktree('tree'))
    await rm(worktree('tree'), { recursive: true, force: true })

    const doctor = JSON.parse((await sandbox.nexus(['doctor', '--json'])).stdout) as DoctorReport
    const drift = doctor.checks.find((c) => c.id === 'workspaces:docker')
    expect(drift?.message).toMatch(/tree: its worktree .* is gone/)
    expect(drift?.fix).toMatch(/^nexus workspace repair /)

    const report = await sandbox.json<RepairReport>(['workspace', 'repair', 'tree'])
    expect(report.actions.map((a) => [a.outcome, a.action])).toEqual([
      ['fixed', 'Add the worktree back on branch nexus/tree.'],
      ['fixed', 'Restart it so that it mounts the worktree again.'],
    ])
    expect(await readFile(join(worktree('tree'), 'work.txt'), 'utf8')).toBe('committed work\n')
    // Inside the container, the worktree mount shows the files again, and git works on them.
    expect(await execOut('tree', ['cat', '/workspace/work.txt'])).toBe('committed work')
    expect(await execOut('tree', ['git', '-C', '/workspace', 'log', '-1', '--format=%s'])).toBe('work')
  }, 120_000)

  it("a state file truncated behind nexus's back → detected with the repair hint; repair rebuilds it, same ports", async () => {
    const created = await create('torn')
    const file = join(sandbox.nexusHome, 'state', 'workspaces', `${created.id}.json`)
    const text = await readFile(file, 'utf8')
    await writeFile(file, text.slice(0, text.indexOf('"resources"')))

    const doctor = JSON.parse((await sandbox.nexus(['doctor', '--json'])).stdout) as DoctorReport
    expect(doctor.checks.find((c) => c.id === 'state')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('nexus workspace repair --all'),
    })
    const report = await sandbox.json<RepairReport>(['workspace', 'repair', '--all'])
    expect(report.actions).toContainEqual(
      expect.objectContaining({
        subject: 'torn',
        outcome: 'fixed',
        action: expect.stringMatching(/^Rebuilt the record \(running\)/),
      }),
    )
    const [rebuilt] = (await sandbox.json<Workspace[]>(['workspace', 'ls'])).filter((w) => w.name === 'torn')
    expect(rebuilt).toMatchObject({ id: created.id, status: 'running', ports: created.ports })
    expect(await execOut('torn', ['cat', '/workspace/README.md'])).toBe('# e2e')
  }, 120_000)

  it('a destroy killed (kill -9) after it began → repair finishes it, but never deletes a file with uncommitted changes', async () => {
    const names = ['gone', 'kept']
    for (const name of names) await create(name)
    for (const name of names) {
      const { killed } = await killNexusWhen(sandbox, ['workspace', 'destroy', name], {
        condition: statusIs(sandbox, name, 'destroying'),
      })
      expect(killed).toBe(true)
    }
    // The user saves a file in one of them while its destroy is under way.
    expect(existsSync(worktree('kept'))).toBe(true)
    await writeFile(join(worktree('kept'), 'canary.txt'), 'precious\n')

    const result = await sandbox.nexus(['workspace', 'repair', '--all', '--json'])
    expect(result.code).toBe(1)
    const { error } = parseErrorDocument(result.stdout)
    expect(error).toMatchObject({
      code: 'UNCOMMITTED_CHANGES',
      suggestion: expect.stringContaining('nexus workspace destroy kept'),
    })
    expect(await readFile(join(worktree('kept'), 'canary.txt'), 'utf8')).toBe('precious\n')
    expect(existsSync(worktree('gone'))).toBe(false)
    const records = await recordsOnDisk(sandbox)
    expect(records.find((w) => w.name === 'gone')).toBeUndefined()
    expect(records.find((w) => w.name === 'kept')).toMatchObject({ status: 'error' })
    expect(await containerState('gone')).toBe('missing')
    expect(await containerState('kept')).toBe('missing')

    // The user's call: discard the work. Nothing of either workspace is left in the engine afterwards.
    expect((await sandbox.nexus(['workspace', 'destroy', 'kept', '--force'])).code).toBe(0)
    const left = await labelledResources(sandbox)
    const ids = (await recordsOnDisk(sandbox)).map((w) => w.id)
    const strays = await Promise.all(
      left.containers.map((c) =>
        docker(['inspect', '--format', '{{index .Config.Labels "dev.nexus.workspace-id"}}', c]),
      ),
    )
    expect(strays.filter((id) => !ids.includes(id))).toEqual([])
  }, 180_000)
})
