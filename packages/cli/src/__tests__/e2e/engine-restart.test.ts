import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ListedWorkspace, RepairReport, Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, dockerAvailable, type RunOptions, type Sandbox } from './harness.js'
import { PrivateEngine } from './private-engine.js'

// The engine restarted under running workspaces. It is a dockerd of the test's own (see PrivateEngine): really
// stopped and started again, without pulling the machine's engine out from under everyone else's containers.
const runnable = (await dockerAvailable()) && (await PrivateEngine.possible())
const BASE_IMAGE = 'nexus-base:bookworm'
let sandbox: Sandbox
let engine: PrivateEngine
let on: RunOptions

interface DoctorReport {
  checks: Array<{ id: string; status: string; message: string; fix?: string }>
}

const names = ['one', 'two'] as const

describe.runIf(runnable)('edge cases: Chaos — Docker engine restarted under running workspaces', () => {
  beforeAll(async () => {
    sandbox = await createSandbox()
    engine = new PrivateEngine(join(sandbox.root, 'engine'))
    await engine.start()
    await engine.loadImage(BASE_IMAGE)
    on = { env: { DOCKER_HOST: engine.host } }
    await mkdir(join(sandbox.repo, '.nexus'))
    // Its own subnet pool: the machine's engine knows nothing of this engine's networks.
    const config = { backends: { docker: { base_image: BASE_IMAGE, network_pool: '10.219.0.0/16' } } }
    await writeFile(join(sandbox.repo, '.nexus', 'config.yaml'), JSON.stringify(config))
    for (const name of names)
      await sandbox.json<Workspace>(['workspace', 'create', name, '--backend', 'docker'], on)
  }, 240_000)

  afterAll(async () => {
    // Whatever happened, the test's engine goes away with everything it held; the machine's engine was never touched.
    await engine?.destroy()
    await sandbox?.cleanup()
  }, 120_000)

  it('engine restarted under running workspaces → `nexus ws ls` shows truth; start recovers them', async () => {
    const running = await sandbox.json<Workspace[]>(['ws', 'ls'], on)
    expect(running.map((w) => w.status)).toEqual(['running', 'running'])

    await engine.stop()
    // While it is down, commands say so with a coded error instead of hanging or lying.
    const down = await sandbox.nexus(['workspace', 'start', 'one'], on)
    expect(down.code).toBe(1)
    expect(down.stderr).toMatch(/^Error \[BACKEND_UNAVAILABLE\]/m)
    await engine.start()

    // The engine came back with the containers stopped. ls asks the engine about what its records call running,
    // and says what the engine says, in the table and in --json.
    const observed = await sandbox.json<ListedWorkspace[]>(['ws', 'ls'], on)
    expect(observed.map((w) => `${w.name}:${w.status}:${w.observed?.status}`)).toEqual([
      'one:running:stopped',
      'two:running:stopped',
    ])
    const table = (await sandbox.nexus(['ws', 'ls'], on)).stdout
    expect(table).toMatch(/one\s+running \(backend says stopped\)/)
    // doctor spots the drift too and names the fix.
    const doctor = JSON.parse((await sandbox.nexus(['doctor', '--json'], on)).stdout) as DoctorReport
    const drift = doctor.checks.find((c) => c.id === 'workspaces:docker')
    expect(drift?.status).toBe('fail')
    expect(drift?.message).toMatch(/one: recorded running, but docker has it stopped/)
    expect(drift?.fix).toBe('nexus workspace repair --all')
    const info = await sandbox.json<{ status: string; live: { status: string } }>(
      ['workspace', 'info', 'two'],
      on,
    )
    expect(info.live.status).toBe('stopped')

    // start recovers a workspace straight away, whatever its record said.
    expect((await sandbox.nexus(['workspace', 'start', 'one'], on)).code).toBe(0)
    expect((await sandbox.nexus(['workspace', 'exec', 'one', '--', 'true'], on)).code).toBe(0)

    // repair brings the records in line with the engine: then the records themselves say it.
    const report = await sandbox.json<RepairReport>(['workspace', 'repair', '--all'], on)
    expect(report.actions).toEqual([
      expect.objectContaining({
        subject: 'two',
        outcome: 'fixed',
        problem: 'Its record says running, but docker has it stopped.',
      }),
    ])
    const listed = await sandbox.json<Workspace[]>(['ws', 'ls'], on)
    expect(listed.map((w) => `${w.name}:${w.status}`)).toEqual(['one:running', 'two:stopped'])

    expect((await sandbox.nexus(['workspace', 'start', 'two'], on)).code).toBe(0)
    expect((await sandbox.nexus(['workspace', 'exec', 'two', '--', 'true'], on)).code).toBe(0)
    expect((await sandbox.json<Workspace[]>(['ws', 'ls'], on)).map((w) => w.status)).toEqual([
      'running',
      'running',
    ])
  }, 240_000)
})
