import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { captureStream, createTestProviderContext } from '@nexus/core/testing'
import { ensureKeyPair, runOperation, sshExec, type Clock, type Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openWorld, type DaytonaTestWorld } from './__tests__/harness.js'
import { recordingReporter } from './__tests__/recording-reporter.js'
import { createDaytonaProvider } from './provider.js'

let world: DaytonaTestWorld

beforeAll(async () => {
  world = await openWorld()
})

afterAll(async () => {
  await world?.close()
})

async function running(name: string, config = {}): Promise<Workspace> {
  const { workspace, spec } = await world.workspace(name)
  const provider = world.provider(config)
  const created = await provider.create({ workspace, spec })
  const ready: Workspace = { ...workspace, status: 'running', backendRef: created.backendRef }
  await provider.start(ready)
  return ready
}

/** A clock whose time the test moves, for token expiry. */
function movableClock(): Clock & { advance(ms: number): void } {
  let offset = 0
  return {
    now: () => Date.now() + offset,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    advance: (ms) => void (offset += ms),
  }
}

describe('the daytona provider against the fake Daytona', () => {
  it('reports Daytona build and pull states while create waits', async () => {
    world.fake.state.stepMs = 250
    try {
      const reporter = recordingReporter()
      const { workspace, spec } = await world.workspace('progress')
      await world
        .provider({}, reporter)
        .create({ workspace, spec: { ...spec, options: { image: 'node:22' } } })
      expect(reporter.lines).toContain('info: Daytona: building_snapshot (building the image)')
      expect(reporter.lines).toContain('done: Uploading the worktree to the sandbox')
    } finally {
      world.fake.state.stepMs = 30
    }
  })

  it('caches the SSH token (0600) until shortly before it expires, and core connects with it over SSH', async () => {
    await ensureKeyPair(world.nexusHome)
    const clock = movableClock()
    const workspace = await running('tokens')
    const provider = world.provider({}, undefined, { clock })
    const first = await provider.sshEndpoint(workspace)
    const again = await provider.sshEndpoint(workspace)
    expect(again.user).toBe(first.user)
    expect(world.fake.state.grants.has(first.user)).toBe(true)
    const cache = await stat(`${world.nexusHome}/providers/daytona/ssh-tokens.json`)
    expect(cache.mode & 0o777).toBe(0o600)

    const out = captureStream()
    const err = captureStream()
    const result = await sshExec(first, {
      command: ['sh', '-c', 'cat nexus-conformance.txt; echo e >&2; exit 5'],
      cwd: first.workdir,
      stdout: out.stream,
      stderr: err.stream,
    })
    expect(result.exitCode).toBe(5)
    expect(out.text()).toBe('nexus conformance marker\n')
    expect(err.text()).toBe('e\n')

    clock.advance(56 * 60_000)
    const renewed = await provider.sshEndpoint(workspace)
    expect(renewed.user, 'a token about to expire is replaced').not.toBe(first.user)

    await provider.destroy(workspace)
    expect(world.fake.state.revokedTokens).toContain(renewed.user)
    await expect(provider.inspect(workspace)).resolves.toMatchObject({ status: 'missing' })
  })

  it('clones with --from inside the sandbox instead of uploading', async () => {
    const source = await world.workspace('origin')
    const { workspace, spec } = await world.workspace('cloned')
    const provider = world.provider()
    const created = await provider.create({
      workspace,
      spec: { ...spec, options: { gitUrl: source.repoRoot, gitBranch: 'main' } },
    })
    const ready: Workspace = { ...workspace, status: 'running', backendRef: created.backendRef }
    await provider.start(ready)
    const out = captureStream()
    const result = await provider.exec(ready, {
      command: ['git', 'log', '--format=%s'],
      stdout: out.stream,
      stderr: captureStream().stream,
    })
    expect(result.exitCode).toBe(0)
    expect(out.text()).toBe('Initial commit\n')
  })

  it('runs the typed operations, and names the known ones for an unknown id', async () => {
    const workspace = await running('ops')
    const provider = world.provider()
    const executed = await runOperation(
      provider,
      'daytona.process.execute',
      { command: 'echo $((6*7))' },
      workspace,
    )
    expect(executed).toMatchObject({ exitCode: 0, output: '42\n' })
    const snap = await runOperation(provider, 'daytona.snapshot.create', { name: 'raw' }, workspace)
    expect(snap).toMatchObject({ snapshot: `nexus-${workspace.id.slice(0, 8)}-raw` })
    expect(await runOperation(provider, 'daytona.snapshot.list', {}, workspace)).toMatchObject({
      snapshots: [{ name: 'raw' }],
    })
    await runOperation(provider, 'daytona.snapshot.delete', { name: 'raw' }, workspace)
    expect([...world.fake.state.snapshots.values()].map((s) => s.name)).not.toContain(
      `nexus-${workspace.id.slice(0, 8)}-raw`,
    )

    const local = join(world.nexusHome, 'single.txt')
    await writeFile(local, 'one file\n')
    await runOperation(provider, 'daytona.file.upload', { local, remote: 'docs/single.txt' }, workspace)
    const into = join(world.nexusHome, 'downloads')
    await mkdir(into)
    await runOperation(
      provider,
      'daytona.file.download',
      { remote: 'docs/single.txt', local: into },
      workspace,
    )
    expect(await readFile(join(into, 'single.txt'), 'utf8')).toBe('one file\n')
    await expect(
      runOperation(provider, 'daytona.file.download', { remote: 'docs/missing.txt', local: into }, workspace),
    ).rejects.toMatchObject({ code: 'BACKEND_ERROR' })

    await expect(runOperation(provider, 'daytona.frobnicate', {}, workspace)).rejects.toMatchObject({
      code: 'OPERATION_NOT_FOUND',
      suggestion: expect.stringContaining('daytona.snapshot.create'),
    })
    const restricted = world.provider({ capabilities: { previews: false } })
    await expect(
      runOperation(restricted, 'daytona.preview.create', { port: 80 }, workspace),
    ).rejects.toMatchObject({
      code: 'CAPABILITY_NOT_SUPPORTED',
      suggestion: expect.stringContaining('snapshots'),
    })
  })

  it('starts an auto-stopped sandbox before exec, or refuses with DAYTONA_SANDBOX_STOPPED', async () => {
    const workspace = await running('sleepy')
    const sandboxId = String(workspace.backendRef?.sandboxId)
    world.fake.state.autoStop(sandboxId)
    const reporter = recordingReporter()
    const out = captureStream()
    await world
      .provider({}, reporter)
      .exec(workspace, { command: ['echo', 'awake'], stdout: out.stream, stderr: captureStream().stream })
    expect(out.text()).toBe('awake\n')
    expect(reporter.lines).toContain('step: Starting stopped sandbox of sleepy')

    const remote = world.fake.state.sandboxes.get(sandboxId)
    if (!remote) throw new Error('the fake lost the sandbox')
    remote.state = 'starting'
    world.fake.state.walk(remote, ['started'])
    const waited = captureStream()
    await world
      .provider()
      .exec(workspace, { command: ['echo', 'waited'], stdout: waited.stream, stderr: captureStream().stream })
    expect(waited.text(), 'a sandbox already starting is waited for').toBe('waited\n')

    world.fake.state.autoStop(sandboxId)
    const strict = world.provider({ auto_start_on_use: false })
    const sink = captureStream().stream
    await expect(
      strict.exec(workspace, { command: ['true'], stdout: sink, stderr: sink }),
    ).rejects.toMatchObject({
      code: 'DAYTONA_SANDBOX_STOPPED',
    })
  })

  it('a create that fails on a rejected key is DAYTONA_AUTH_FAILED and leaves nothing behind', async () => {
    const { workspace, spec } = await world.workspace('denied')
    const before = world.fake.state.sandboxes.size
    await expect(world.provider({ api_key: 'wrong' }).create({ workspace, spec })).rejects.toMatchObject({
      code: 'DAYTONA_AUTH_FAILED',
    })
    expect(world.fake.state.sandboxes.size).toBe(before)
  })

  it("lists only this nexus home's sandboxes: a Daytona organisation is shared", async () => {
    const mine = await running('listed')
    const ours = await world.provider().list()
    expect(ours.map((r) => r.workspaceId)).toContain(mine.id)
    const elsewhere = createDaytonaProvider(
      createTestProviderContext({
        nexusHome: join(world.nexusHome, 'another-home'),
        config: { api_key: world.fake.apiKey, api_url: world.fake.apiUrl },
        env: {},
      }),
    )
    expect((await elsewhere.list()).map((r) => r.workspaceId)).not.toContain(mine.id)
  })
})
