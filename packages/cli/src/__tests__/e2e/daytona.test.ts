import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeDaytona, type FakeDaytona, type FakeSandboxView } from './daytona-fake.js'
import { STACK_TRACE, createSandbox, parseErrorDocument, type RunResult, type Sandbox } from './harness.js'

/** A key that must never show up in state, events or output. */
const CANARY_KEY = 'dtn_CANARY_4f1d2c9b8a7e6d5c'

let fake: FakeDaytona
let sandbox: Sandbox
/** Everything nexus printed in this suite, for the canary check. */
const outputs: string[] = []

function daytonaEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { DAYTONA_API_KEY: CANARY_KEY, DAYTONA_API_URL: fake.apiUrl, ...extra }
}

/** Another engineer's plugin may be mid-build; its "skipped" warning is not this suite's output. */
function withoutPluginWarnings(stderr: string): string {
  return stderr.replace(/^Warning: Plugin \S+ failed to register its providers.*\n/gm, '')
}

async function nexus(args: string[], extra: Record<string, string> = {}): Promise<RunResult> {
  const result = await sandbox.nexus(args, { env: daytonaEnv(extra) })
  outputs.push(result.stdout, result.stderr)
  return { ...result, stderr: withoutPluginWarnings(result.stderr) }
}

async function nexusJson<T>(args: string[], extra: Record<string, string> = {}): Promise<T> {
  const result = await nexus([...args, '--json'], extra)
  expect(result.code, `${args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(0)
  return JSON.parse(result.stdout) as T
}

function expectCodedFailure(result: RunResult, code: string): { message: string; suggestion: string | null } {
  expect(result.code, result.stdout + result.stderr).not.toBe(0)
  expect(result.stdout + result.stderr).not.toMatch(STACK_TRACE)
  const { error } = parseErrorDocument(result.stdout)
  expect(error.code, error.message).toBe(code)
  expect(error.suggestion, 'every coded error says what to do next').toBeTruthy()
  return error
}

function sandboxOf(workspace: Workspace): FakeSandboxView {
  const found = fake.state.sandboxes.get(String(workspace.backendRef?.sandboxId))
  if (!found) throw new Error(`the fake has no sandbox for ${workspace.name}`)
  return found
}

async function info(name: string): Promise<Workspace> {
  return nexusJson<Workspace>(['workspace', 'info', name])
}

beforeAll(async () => {
  fake = await startFakeDaytona({ apiKey: CANARY_KEY })
  sandbox = await createSandbox()
  await writeFile(join(sandbox.repo, 'run.sh'), '#!/bin/sh\necho ran\n', { mode: 0o755 })
  await sandbox.git(['add', 'run.sh'])
  await sandbox.git(['commit', '--quiet', '-m', 'script'])
}, 60_000)

afterAll(async () => {
  await sandbox?.cleanup()
  await fake?.close()
})

describe('daytona backend, end to end against a fake Daytona', () => {
  let feature: Workspace

  it('creates a workspace: a labelled sandbox holding the worktree, running, with progress on stderr', async () => {
    const result = await nexus(['workspace', 'create', 'my-feature', '--backend', 'daytona', '--json'])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    feature = JSON.parse(result.stdout) as Workspace
    expect(feature).toMatchObject({ name: 'my-feature', backend: 'daytona', status: 'running' })
    const remote = sandboxOf(feature)
    expect(remote.labels['nexus.workspace-id']).toBe(feature.id)
    expect(remote.state).toBe('started')
    const workdir = join(fake.state.homeOf(remote), 'workspace')
    expect(await readFile(join(workdir, 'README.md'), 'utf8')).toBe('# e2e\n')
    expect(feature.backendRef).toEqual({ sandboxId: remote.id, workdir })
  })

  it('exec runs in the sandbox over the Process API: exit code, stdout and stderr apart, executable bits kept', async () => {
    const result = await nexus([
      'workspace',
      'exec',
      'my-feature',
      '--',
      'sh',
      '-c',
      './run.sh; echo oops >&2; exit 3',
    ])
    expect(result).toMatchObject({ code: 3, stdout: 'ran\n', stderr: 'oops\n' })
  })

  it('exec over SSH reaches the sandbox through the gateway with a cached token', async () => {
    const first = await nexus(['workspace', 'exec', 'my-feature', '--', 'sh', '-c', 'pwd; echo err >&2'], {
      NEXUS_EXEC_TRANSPORT: 'ssh',
    })
    expect(first.stderr).toContain('err')
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout.trim()).toBe(String(feature.backendRef?.workdir))
    const grants = [...fake.state.grants.values()].filter(
      (grant) => grant.sandboxId === sandboxOf(feature).id,
    )
    expect(grants).toHaveLength(1)
    const second = await nexus(['workspace', 'exec', 'my-feature', '--', 'true'], {
      NEXUS_EXEC_TRANSPORT: 'ssh',
    })
    expect(second.code).toBe(0)
    expect(fake.state.grants.size, 'the token is reused, not renewed per command').toBe(grants.length)
    const sshConfig = await readFile(join(sandbox.nexusHome, 'ssh_config'), 'utf8')
    expect(sshConfig).toContain('my-feature.nexus')
  })

  it('`workspace ssh` runs a command through the gateway, starting in the code directory', async () => {
    const result = await nexus(['workspace', 'ssh', 'my-feature', '--', 'cat', 'README.md'])
    expect(result, result.stderr).toMatchObject({ code: 0, stdout: '# e2e\n' })
  })

  it('uploads a directory and downloads it back unchanged (File API, bulk)', async () => {
    const local = join(sandbox.root, 'upload')
    await mkdir(join(local, 'nested'), { recursive: true })
    await writeFile(join(local, 'a.txt'), 'alpha\n')
    await writeFile(join(local, 'nested', 'b.bin'), Buffer.from([0, 1, 2, 255, 254]))
    const up = await nexusJson<{ files: number; remote: string }>([
      'workspace',
      'provider',
      'daytona',
      'file',
      'upload',
      'my-feature',
      local,
      'data',
    ])
    expect(up).toMatchObject({ files: 2, remote: `${String(feature.backendRef?.workdir)}/data` })
    const listed = await nexus(['workspace', 'exec', 'my-feature', '--', 'cat', 'data/a.txt'])
    expect(listed.stdout).toBe('alpha\n')
    const back = join(sandbox.root, 'download')
    const down = await nexusJson<{ files: number }>([
      'workspace',
      'provider',
      'daytona',
      'file',
      'download',
      'my-feature',
      'data',
      back,
    ])
    expect(down.files).toBe(2)
    expect(await readFile(join(back, 'a.txt'), 'utf8')).toBe('alpha\n')
    expect([...(await readFile(join(back, 'nested', 'b.bin')))]).toEqual([0, 1, 2, 255, 254])
  })

  it('process execute returns the exit code and the combined output', async () => {
    const result = await nexus([
      'workspace',
      'provider',
      'daytona',
      'process',
      'execute',
      'my-feature',
      '--',
      'sh',
      '-c',
      'echo hi; exit 4',
    ])
    expect(result).toMatchObject({ code: 4, stdout: 'hi\n' })
  })

  it('`snapshot create my-feature --name baseline` prints the snapshot, and --json gives a stable object', async () => {
    const marker = await nexus([
      'workspace',
      'exec',
      'my-feature',
      '--',
      'sh',
      '-c',
      'echo sandbox-state > state.txt',
    ])
    expect(marker.code).toBe(0)
    const text = await nexus([
      'workspace',
      'provider',
      'daytona',
      'snapshot',
      'create',
      'my-feature',
      '--name',
      'baseline',
    ])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(
      /^Snapshot "baseline" of my-feature\n {2}daytona snapshot {2}nexus-[0-9a-f]{8}-baseline\n/,
    )
    expect(text.stdout).toContain('--from-snapshot my-feature/baseline')

    const json = await nexusJson<Record<string, unknown>>([
      'workspace',
      'provider',
      'daytona',
      'snapshot',
      'create',
      'my-feature',
      '--name',
      'second',
    ])
    expect(Object.keys(json)).toEqual([
      'workspace',
      'snapshot',
      'backend',
      'daytonaSnapshot',
      'createdAt',
      'commit',
      'changedFiles',
      'sizeBytes',
    ])
    expect(json).toMatchObject({ workspace: 'my-feature', snapshot: 'second', backend: 'daytona' })
    expect([...fake.state.snapshots.values()].map((s) => s.name)).toContain(json.daytonaSnapshot)

    const listed = await nexusJson<{ snapshots: Array<{ snapshot: string }> }>([
      'workspace',
      'provider',
      'daytona',
      'snapshot',
      'list',
      'my-feature',
    ])
    expect(listed.snapshots.map((s) => s.snapshot)).toEqual(['baseline', 'second'])
    // One record set: core's own command sees the same snapshots.
    const core = await nexusJson<Array<{ name: string }>>(['workspace', 'snapshot', 'list', 'my-feature'])
    expect(core.map((s) => s.name)).toEqual(['baseline', 'second'])
  })

  it('create --from-snapshot baseline starts a new sandbox from the Daytona snapshot', async () => {
    const copy = await nexusJson<Workspace>([
      'workspace',
      'create',
      'copy',
      '--backend',
      'daytona',
      '--from-snapshot',
      'baseline',
    ])
    expect(sandboxOf(copy).snapshot).toMatch(/^nexus-[0-9a-f]{8}-baseline$/)
    const read = await nexus(['workspace', 'exec', 'copy', '--', 'cat', 'state.txt'])
    expect(read).toMatchObject({ code: 0, stdout: 'sandbox-state\n' })
  })

  it('snapshot restore recreates the sandbox and keeps the workspace', async () => {
    await nexus(['workspace', 'exec', 'my-feature', '--', 'sh', '-c', 'echo changed > state.txt'])
    const before = sandboxOf(feature).id
    const restored = await nexusJson<{ sandboxId: string; status: string }>([
      'workspace',
      'provider',
      'daytona',
      'snapshot',
      'restore',
      'my-feature',
      '--name',
      'baseline',
    ])
    expect(restored.status).toBe('running')
    expect(restored.sandboxId).not.toBe(before)
    feature = await info('my-feature')
    expect(feature.backendRef?.sandboxId).toBe(restored.sandboxId)
    expect((await nexus(['workspace', 'exec', 'my-feature', '--', 'cat', 'state.txt'])).stdout).toBe(
      'sandbox-state\n',
    )
  })

  it('preview create prints a URL and the token for a private preview; list shows it', async () => {
    const result = await nexus([
      'workspace',
      'provider',
      'daytona',
      'preview',
      'create',
      'my-feature',
      '--port',
      '3000',
    ])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(
      `https://3000-${String(feature.backendRef?.sandboxId)}.proxy.daytona.test`,
    )
    expect(result.stdout).toMatch(/token: \S+ \(send it as the x-daytona-preview-token header\)/)
    const listed = await nexusJson<{ previews: Array<{ port: number }> }>([
      'workspace',
      'provider',
      'daytona',
      'preview',
      'list',
      'my-feature',
    ])
    expect(listed.previews.map((p) => p.port)).toEqual([3000])
  })

  it('lsp start and stop reach the sandbox', async () => {
    const started = await nexusJson<{ running: boolean }>([
      'workspace',
      'provider',
      'daytona',
      'lsp',
      'start',
      'my-feature',
      '--language',
      'typescript',
    ])
    expect(started.running).toBe(true)
    const stopped = await nexusJson<{ running: boolean }>([
      'workspace',
      'provider',
      'daytona',
      'lsp',
      'stop',
      'my-feature',
      '--language',
      'typescript',
    ])
    expect(stopped.running).toBe(false)
  })

  it('info lists the capabilities and escape hatches (and --debug output holds no secret either)', async () => {
    const debug = await nexus(['workspace', 'info', 'my-feature', '--debug'])
    expect(debug.code, debug.stderr).toBe(0)
    const details = await nexusJson<{
      capabilities: string[]
      escapeHatches: Array<{ command: string }>
      ssh: { user: string } | null
    }>(['workspace', 'info', 'my-feature'])
    expect(details.capabilities).toEqual([
      'exec',
      'fileApi',
      'lsp',
      'previews',
      'processApi',
      'snapshots',
      'ssh',
    ])
    expect(details.escapeHatches.map((e) => e.command)).toContain(
      'nexus workspace provider daytona snapshot create my-feature',
    )
    expect(details.ssh?.user).toMatch(/^[0-9a-f]{32}$/)
  })
})

describe('daytona failures are coded, with the next step', () => {
  it('a daytona command on a mock workspace names its backend and what it supports', async () => {
    const made = await nexus(['workspace', 'create', 'plain', '--backend', 'mock'])
    expect(made.code, made.stderr).toBe(0)
    const error = expectCodedFailure(
      await nexus([
        'workspace',
        'provider',
        'daytona',
        'snapshot',
        'create',
        'plain',
        '--name',
        'n',
        '--json',
      ]),
      'INVALID_ARGUMENT',
    )
    expect(error.message).toBe('Workspace "plain" runs on the mock backend, not daytona.')
    expect(error.suggestion).toMatch(/The mock backend supports: exec, logs, pause, snapshots/)
    expect(error.suggestion).toContain('nexus workspace provider mock')
    const preview = expectCodedFailure(
      await nexus([
        'workspace',
        'provider',
        'daytona',
        'preview',
        'create',
        'plain',
        '--port',
        '80',
        '--json',
      ]),
      'INVALID_ARGUMENT',
    )
    expect(preview.message).toContain('mock backend')
  })

  it('an unknown daytona command is a coded error pointing at the real ones', async () => {
    const error = expectCodedFailure(
      await nexus(['workspace', 'provider', 'daytona', 'frobnicate', 'my-feature', '--json']),
      'INVALID_ARGUMENT',
    )
    expect(error.suggestion).toContain('nexus workspace provider daytona')
  })

  it('401: a rejected key is DAYTONA_AUTH_FAILED naming DAYTONA_API_KEY, without the key', async () => {
    const error = expectCodedFailure(
      await nexus(['workspace', 'create', 'denied', '--backend', 'daytona', '--json'], {
        DAYTONA_API_KEY: 'dtn_wrong_key',
      }),
      'DAYTONA_AUTH_FAILED',
    )
    expect(error.suggestion).toContain('DAYTONA_API_KEY')
    expect(error.suggestion).toContain('nexus config set backends.daytona.api_key')
    expect(JSON.stringify(error)).not.toContain('dtn_wrong_key')
    const list = await nexusJson<Workspace[]>(['workspace', 'list'])
    expect(list.map((w) => w.name)).not.toContain('denied')
  })

  it('no key at all is DAYTONA_AUTH_FAILED too', async () => {
    expectCodedFailure(
      await nexus(['workspace', 'create', 'keyless', '--backend', 'daytona', '--json'], {
        DAYTONA_API_KEY: '',
      }),
      'DAYTONA_AUTH_FAILED',
    )
  })

  it('429: a short burst is retried; a long one is DAYTONA_RATE_LIMITED', async () => {
    fake.state.rateLimitNext(2, '/toolbox/')
    const retried = await nexus(['workspace', 'exec', 'copy', '--', 'echo', 'ok'])
    expect(retried).toMatchObject({ code: 0, stdout: 'ok\n' })
    fake.state.rateLimitNext(100, '/toolbox/')
    expectCodedFailure(
      await nexus(['workspace', 'exec', 'copy', '--json', '--', 'echo', 'ok']),
      'DAYTONA_RATE_LIMITED',
    )
    fake.state.clearFailures()
  })

  it('an auto-stopped sandbox is started on exec; with auto_start_on_use off it is DAYTONA_SANDBOX_STOPPED', async () => {
    const copy = await info('copy')
    fake.state.autoStop(String(copy.backendRef?.sandboxId))
    const started = await nexus(['workspace', 'exec', 'copy', '--', 'echo', 'back'])
    expect(started).toMatchObject({ code: 0, stdout: 'back\n' })
    expect(fake.state.sandboxes.get(String(copy.backendRef?.sandboxId))?.state).toBe('started')

    await mkdir(join(sandbox.systemConfig, '..'), { recursive: true })
    await writeFile(sandbox.systemConfig, 'backends:\n  daytona:\n    auto_start_on_use: false\n')
    try {
      fake.state.autoStop(String(copy.backendRef?.sandboxId))
      const error = expectCodedFailure(
        await nexus(['workspace', 'exec', 'copy', '--json', '--', 'true']),
        'DAYTONA_SANDBOX_STOPPED',
      )
      expect(error.suggestion).toContain('nexus workspace start copy')
    } finally {
      await writeFile(sandbox.systemConfig, '{}\n')
    }
  })

  it('404: a sandbox deleted behind nexus is a coded error saying to recreate the workspace', async () => {
    const copy = await info('copy')
    fake.state.sandboxes.delete(String(copy.backendRef?.sandboxId))
    const error = expectCodedFailure(
      await nexus(['workspace', 'exec', 'copy', '--json', '--', 'true']),
      'BACKEND_ERROR',
    )
    expect(error.message).toContain('no longer exists')
    expect(error.suggestion).toContain('nexus workspace destroy copy')
    const destroyed = await nexus(['workspace', 'destroy', 'copy', '--json'])
    expect(destroyed.code, destroyed.stdout).toBe(0)
  })

  it('an unreachable API is BACKEND_UNAVAILABLE, not a stack trace', async () => {
    const error = expectCodedFailure(
      await nexus(['workspace', 'create', 'offline', '--backend', 'daytona', '--json'], {
        DAYTONA_API_URL: 'http://127.0.0.1:9/api',
      }),
      'BACKEND_UNAVAILABLE',
    )
    expect(error.suggestion).toContain('DAYTONA_API_URL')
  })

  it('an unknown region is DAYTONA_REGION_UNAVAILABLE', async () => {
    expectCodedFailure(
      await nexus(['workspace', 'create', 'faraway', '--backend', 'daytona', '--region', 'mars', '--json']),
      'DAYTONA_REGION_UNAVAILABLE',
    )
  })
})

describe('daytona destroy and secrets', () => {
  it('destroy revokes the SSH access and deletes the sandbox and its snapshots', async () => {
    const feature = await info('my-feature')
    const sandboxId = String(feature.backendRef?.sandboxId)
    // Make sure this sandbox holds a token to revoke.
    await nexus(['workspace', 'exec', 'my-feature', '--', 'true'], { NEXUS_EXEC_TRANSPORT: 'ssh' })
    const tokens = [...fake.state.grants.entries()]
      .filter(([, g]) => g.sandboxId === sandboxId)
      .map(([t]) => t)
    expect(tokens.length).toBeGreaterThan(0)
    const result = await nexus(['workspace', 'destroy', 'my-feature', '--with-snapshots', '--json'])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(fake.state.revokedTokens).toEqual(expect.arrayContaining(tokens))
    await expect.poll(() => fake.state.sandboxes.has(sandboxId), { timeout: 2000 }).toBe(false)
    expect(
      [...fake.state.snapshots.values()].filter(
        (s) => s.name.includes('baseline') || s.name.includes('second'),
      ),
    ).toEqual([])
  })

  it('the API key never reaches state, the event log, or any output (--json and --debug included)', async () => {
    const debug = await nexus(['workspace', 'info', 'plain', '--debug'])
    expect(debug.code).toBe(0)
    const files = await readdir(sandbox.nexusHome, { recursive: true, withFileTypes: true })
    const contents = await Promise.all(
      files
        .filter((f) => f.isFile())
        .map((f) => readFile(join(f.parentPath, f.name), 'utf8').catch(() => '')),
    )
    expect(
      files.some((f) => f.name === 'events.jsonl'),
      'the event log was written',
    ).toBe(true)
    for (const text of [...contents, ...outputs]) expect(text).not.toContain(CANARY_KEY)
    expect(fake.state.sandboxes.size + fake.state.deletedSandboxes.length).toBeGreaterThan(0)
  })
})
