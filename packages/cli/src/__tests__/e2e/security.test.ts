import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import type { Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectAllRefused, expectNothingWritten } from './bad-input-harness.js'
import { createSandbox, docker, dockerAvailable, type RunResult, type Sandbox } from './harness.js'

const execFileAsync = promisify(execFile)
const BASE_IMAGE = 'nexus-base:bookworm'

// One canary per way a secret reaches a workspace: written in config, read from an env file, interpolated from the
// caller's environment, and a service's own env. Each must reach its container, and nothing else nexus writes or
// prints.
const canary = (kind: string) => `canary-${kind}-${randomBytes(8).toString('hex')}`
const CANARIES = {
  literal: canary('literal'),
  envFile: canary('envfile'),
  interpolated: canary('interp'),
  service: canary('service'),
}
const SECRET_VARIABLE = 'NEXUS_E2E_SECRET'

let sandbox: Sandbox
let workspace: Workspace
/** Every output nexus printed in this suite: each is searched for the canaries. */
const outputs: Array<{ what: string; result: RunResult }> = []

async function run(args: readonly string[]): Promise<RunResult> {
  const result = await sandbox.nexus(args, { env: { [SECRET_VARIABLE]: CANARIES.interpolated } })
  outputs.push({ what: `nexus ${args.join(' ')}`, result })
  return result
}

function ok(result: RunResult, what: string): string {
  expect(result.code, `${what}: ${result.stdout}${result.stderr}`).toBe(0)
  return result.stdout
}

function containing(text: string): string[] {
  return Object.entries(CANARIES)
    .filter(([, value]) => text.includes(value))
    .map(([kind]) => kind)
}

/** Every file under `dir`, with its mode, for permission and content checks. */
async function filesUnder(dir: string): Promise<Array<{ path: string; mode: number; isDir: boolean }>> {
  const found: Array<{ path: string; mode: number; isDir: boolean }> = []
  for (const name of await readdir(dir)) {
    const path = join(dir, name)
    const info = await lstat(path)
    found.push({ path, mode: info.mode & 0o777, isDir: info.isDirectory() })
    if (info.isDirectory()) found.push(...(await filesUnder(path)))
  }
  return found
}

/** The workspace's containers: its own (service undefined) and one per `services:` entry. */
async function containers(): Promise<Array<{ id: string; service: string | undefined }>> {
  const ids = (await docker(['ps', '-aq', '--filter', `label=dev.nexus.workspace-id=${workspace.id}`]))
    .split('\n')
    .filter(Boolean)
  return Promise.all(
    ids.map(async (id) => {
      const labels = JSON.parse(
        await docker(['inspect', '--format', '{{json .Config.Labels}}', id]),
      ) as Record<string, string>
      return { id, service: labels['dev.nexus.service'] }
    }),
  )
}

/** A field of the workspace's own container, or of a service's. */
async function inspect<T>(format: string, service?: string): Promise<T> {
  const found = (await containers()).find((container) => container.service === service)
  expect(found, `the ${service ?? 'workspace'} container`).toBeDefined()
  return JSON.parse(await docker(['inspect', '--format', `{{json ${format}}}`, found?.id ?? ''])) as T
}

const engineUp = await dockerAvailable()

describe.skipIf(!engineUp)('edge cases: Security', () => {
  beforeAll(async () => {
    sandbox = await createSandbox()
    // nexus, not the harness, creates NEXUS_HOME here: its mode is nexus's choice.
    await rm(sandbox.nexusHome, { recursive: true })
    await mkdir(join(sandbox.repo, '.nexus'))
    await writeFile(join(sandbox.repo, '.nexus', 'secrets.env'), `FILE_TOKEN=${CANARIES.envFile}\n`)
    const config = {
      backends: { docker: { base_image: BASE_IMAGE } },
      env: { API_TOKEN: CANARIES.literal, FROM_VARIABLE: `\${${SECRET_VARIABLE}}` },
      env_files: ['secrets.env'],
      services: {
        db: {
          image: BASE_IMAGE,
          command: ['sleep', 'infinity'],
          ports: [5432],
          env: { DB_PASSWORD: CANARIES.service },
        },
      },
    }
    await writeFile(join(sandbox.repo, '.nexus', 'config.yaml'), JSON.stringify(config, null, 2))
    const created = await run([
      'workspace',
      'create',
      'sec',
      '--backend',
      'docker',
      '--port',
      'web=3000',
      '--label',
      'team=security',
      '--json',
      '--debug',
    ])
    workspace = JSON.parse(ok(created, 'create')) as Workspace
  }, 180_000)

  afterAll(async () => {
    if (!sandbox) return
    await sandbox.nexus(['workspace', 'destroy', 'sec', '--force', '--volumes'])
    // Whatever a failed destroy left behind still carries the repository's label.
    const label = `label=dev.nexus.repo=${sandbox.repo}`
    const ids = async (args: string[]) => (await docker(args)).split('\n').filter(Boolean)
    const left = await ids(['ps', '-aq', '--filter', label])
    if (left.length) await docker(['rm', '-f', ...left])
    for (const kind of ['network', 'volume']) {
      const found = await ids([kind, 'ls', '-q', '--filter', label])
      if (found.length) await docker([kind, 'rm', ...found]).catch(() => undefined)
    }
    await sandbox.cleanup()
  }, 60_000)

  it('published ports are bound to 127.0.0.1 only (PortBindings and ss -ltn)', async () => {
    type Bindings = Record<string, Array<{ HostIp: string; HostPort: string }> | null>
    const published = []
    for (const service of [undefined, 'db']) {
      const bindings = await inspect<Bindings>('.HostConfig.PortBindings', service)
      published.push(...Object.values(bindings).flatMap((hosts) => hosts ?? []))
    }
    expect(published.length).toBe(3) // ssh and web on the workspace, 5432 on db
    for (const { HostIp } of published) expect(HostIp).toBe('127.0.0.1')
    expect(published.map(({ HostPort }) => Number(HostPort)).sort()).toEqual(
      workspace.ports.map(({ hostPort }) => hostPort).sort(),
    )

    const { stdout } = await execFileAsync('ss', ['-ltnH'])
    for (const { hostPort } of workspace.ports) {
      const listeners = stdout
        .split('\n')
        .map((line) => line.trim().split(/\s+/)[3] ?? '')
        .filter((local) => local.endsWith(`:${hostPort}`))
      expect(listeners, `listeners on ${hostPort}`).toContain(`127.0.0.1:${hostPort}`)
      for (const local of listeners) expect(local, `port ${hostPort}`).toBe(`127.0.0.1:${hostPort}`)
    }
  })

  it('containers run non-root, with cap-drop ALL (+ the few sshd needs) and no-new-privileges', async () => {
    const hostConfig = await inspect<{
      CapDrop: string[]
      CapAdd: string[] | null
      SecurityOpt: string[] | null
      Privileged: boolean
    }>('.HostConfig')
    expect(hostConfig.CapDrop).toEqual(['ALL'])
    expect(hostConfig.Privileged).toBe(false)
    expect(hostConfig.SecurityOpt ?? []).toContain('no-new-privileges:true')
    // sshd needs these to switch to the workspace user; none of them reaches beyond the container.
    const allowed = { CHOWN: 0, SETGID: 6, SETUID: 7, SYS_CHROOT: 18, AUDIT_WRITE: 29 } as Record<
      string,
      number
    >
    for (const capability of hostConfig.CapAdd ?? [])
      expect(Object.keys(allowed)).toContain(capability.replace(/^CAP_/, ''))

    // Commands run as `nexus` with the host user's uid (0 only when the host user is root, as on CI machines), and
    // even then hold no capability beyond that set: no SYS_ADMIN, NET_ADMIN, DAC_OVERRIDE, …
    const status = ok(
      await run([
        'workspace',
        'exec',
        'sec',
        '--',
        'sh',
        '-c',
        'id -un; id -u; grep -E "^(CapEff|CapBnd|NoNewPrivs)" /proc/self/status',
      ]),
      'id',
    )
    const [userName, uid] = status.split('\n')
    const hostUid = process.getuid?.() ?? -1
    expect(Number(uid)).toBe(hostUid)
    if (hostUid !== 0) expect(userName).toBe('nexus')
    const mask = Object.values(allowed).reduce((sum, bit) => sum | (1n << BigInt(bit)), 0n)
    for (const field of ['CapEff', 'CapBnd']) {
      const value = BigInt(`0x${new RegExp(`${field}:\\s+([0-9a-f]+)`).exec(status)?.[1] ?? 'ffffffffff'}`)
      expect(value & ~mask, `${field} ${value.toString(16)}`).toBe(0n)
    }
    expect(status).toMatch(/NoNewPrivs:\s+1/)
  })

  it('$NEXUS_HOME is 0700, key files 0600, and nothing under it is group- or world-writable', async () => {
    const home = await lstat(sandbox.nexusHome)
    expect((home.mode & 0o777).toString(8)).toBe('700')
    const files = await filesUnder(sandbox.nexusHome)
    const mode = (path: string) =>
      files.find((file) => file.path === join(sandbox.nexusHome, path))?.mode.toString(8)
    expect(mode('keys')).toBe('700')
    expect(mode(join('keys', 'id_ed25519'))).toBe('600')
    for (const file of files)
      expect(file.mode & 0o022, `${relative(sandbox.nexusHome, file.path)} ${file.mode.toString(8)}`).toBe(0)
  })

  it('a canary secret in env, env_files and ${VAR} reaches the container, and never state, the event log, --json/--debug output or docker labels', async () => {
    // The canaries did reach the workspace: otherwise their absence elsewhere would prove nothing.
    // Not through run(): this output is the one place the canaries belong.
    const env = ok(
      await sandbox.nexus(['workspace', 'exec', 'sec', '--', 'env'], {
        env: { [SECRET_VARIABLE]: CANARIES.interpolated },
      }),
      'exec env',
    )
    expect(containing(env).sort()).toEqual(['envFile', 'interpolated', 'literal'])
    expect(containing((await inspect<string[]>('.Config.Env', 'db')).join('\n'))).toEqual(['service'])

    for (const args of [
      ['workspace', 'list'],
      ['workspace', 'list', '--all'],
      ['workspace', 'info', 'sec'],
      ['config', 'list'],
      ['config', 'list', '--show-origin'],
      ['doctor'],
      ['workspace', 'stop', 'sec'],
      ['workspace', 'start', 'sec'],
    ]) {
      await run([...args, '--json'])
      await run([...args, '--debug'])
    }
    for (const { what, result } of outputs) {
      expect.soft(containing(result.stdout), `${what} stdout`).toEqual([])
      expect.soft(containing(result.stderr), `${what} stderr`).toEqual([])
    }

    // Core's state and event log never hold them; a provider that must recreate the container from the env keeps
    // it only in files readable by the user alone.
    for (const { path, isDir, mode } of await filesUnder(sandbox.nexusHome)) {
      if (isDir) continue
      const found = containing(await readFile(path, 'utf8'))
      if (found.length === 0) continue
      expect.soft(relative(sandbox.nexusHome, path), `holds ${found.join(', ')}`).toMatch(/^providers\//)
      expect.soft(mode.toString(8), `${path} holds a secret`).toBe('600')
    }

    // One at a time: a helper container may be gone between listing and inspecting.
    const labelsOf = async (kind: 'container' | 'network' | 'volume', ids: string[]): Promise<string> => {
      const each = await Promise.all(
        ids.map((id) => docker([kind, 'inspect', '--format', '{{json .Labels}}', id]).catch(() => '')),
      )
      return each.join('\n')
    }
    const filter = `label=dev.nexus.workspace-id=${workspace.id}`
    const list = async (args: string[]) => (await docker(args)).split('\n').filter(Boolean)
    const labels = [
      await labelsOf('container', await list(['ps', '-aq', '--filter', filter])),
      await labelsOf('network', await list(['network', 'ls', '-q', '--filter', filter])),
      await labelsOf('volume', await list(['volume', 'ls', '-q', '--filter', filter])),
    ].join('\n')
    expect(labels).toContain(workspace.id)
    expect(containing(labels)).toEqual([])
  })

  it('workspace and snapshot names with .. or / cannot leave their directories: refused, nothing written, no container', async () => {
    // Other suites run containers at the same time: count only this repository's.
    const mine = () => docker(['ps', '-aq', '--filter', `label=dev.nexus.repo=${sandbox.repo}`])
    const before = await mine()
    await expectNothingWritten(sandbox, () =>
      expectAllRefused(sandbox, [
        ...['..', '../x', '../../etc', '/tmp/x', 'a/b'].map((name) => ({
          label: `create ${name}`,
          command: ['workspace', 'create'],
          rest: ['--backend', 'docker', '--', name],
          codes: ['INVALID_NAME'],
        })),
        ...['..', '../x', 'a/b'].map((name) => ({
          label: `snapshot ${name}`,
          command: ['workspace', 'snapshot', 'create'],
          rest: ['--', 'sec', name],
          codes: ['INVALID_NAME'],
        })),
        ...['../x', '/abs', 'a/b', '..'].map((volume) => ({
          label: `docker volume ${volume}`,
          command: ['workspace', 'provider', 'docker', 'volume', 'create'],
          rest: ['sec', `--volume=${volume}`],
          codes: ['INVALID_ARGUMENT', 'INVALID_NAME', 'CONFIG_INVALID'],
        })),
      ]),
    )
    // No new container; the suites that test cleanup may remove ours meanwhile, which is not this test's concern.
    const added = (await mine()).split('\n').filter((id) => id !== '' && !before.includes(id))
    expect(added).toEqual([])
  })
})
