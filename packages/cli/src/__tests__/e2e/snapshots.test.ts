import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SnapshotRecord, SnapshotRestoreResult, Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, docker, dockerAvailable, parseErrorDocument, type Sandbox } from './harness.js'

const BASE_IMAGE = 'nexus-base:bookworm'
const engineUp = await dockerAvailable()
const uid = process.getuid?.() ?? 0
/** /opt is root's: outside /workspace and any volume, so only the backend's snapshot can bring it back. */
const asRoot = (line: string) => (uid === 0 ? line : `sudo -n sh -c '${line}'`)

/** The files the acceptance looks at, and the one ignored file a snapshot must never touch. */
const FILES = ['README.md', 'committed.txt', 'gone.txt', 'new.txt', 'staged.txt', 'later.txt', 'another.txt']

interface Backend {
  name: 'mock' | 'docker'
  config: Record<string, unknown>
  /** State only the backend holds (container filesystem, service volume), or null for the mock. */
  backendState?: {
    write(sandbox: Sandbox, workspace: string, value: string): Promise<void>
    read(sandbox: Sandbox, workspace: string): Promise<string>
  }
}

function serviceContainer(sandbox: Sandbox, workspace: string): Promise<string> {
  return sandbox
    .json<Workspace>(['workspace', 'info', workspace])
    .then((info) => `${String(info.backendRef?.container)}-db`)
}

const DOCKER: Backend = {
  name: 'docker',
  config: {
    backends: { docker: { base_image: BASE_IMAGE } },
    lifecycle: { stop_grace_seconds: 2 },
    services: {
      db: {
        image: BASE_IMAGE,
        command: ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.1; done'],
        volumes: ['pgdata:/var/lib/data'],
      },
    },
  },
  backendState: {
    async write(sandbox, workspace, value) {
      const line = asRoot(`mkdir -p /opt/state && echo ${value} > /opt/state/file`)
      const result = await sandbox.nexus(['workspace', 'exec', workspace, '--', 'sh', '-c', line])
      expect(result.code, result.stderr).toBe(0)
      await docker([
        'exec',
        await serviceContainer(sandbox, workspace),
        'sh',
        '-c',
        `echo db-${value} > /var/lib/data/rows`,
      ])
    },
    async read(sandbox, workspace) {
      const result = await sandbox.nexus(['workspace', 'exec', workspace, '--', 'cat', '/opt/state/file'])
      expect(result.code, result.stderr).toBe(0)
      const rows = await docker([
        'exec',
        await serviceContainer(sandbox, workspace),
        'cat',
        '/var/lib/data/rows',
      ])
      return `${result.stdout.trim()} ${rows}`
    },
  },
}

async function contents(root: string): Promise<Record<string, string | null>> {
  return Object.fromEntries(
    await Promise.all(
      FILES.map(async (file) => [file, await readFile(join(root, file), 'utf8').catch(() => null)]),
    ),
  )
}

function acceptance(backend: Backend): void {
  let sandbox: Sandbox
  let worktree: string
  const timings: Record<string, number> = {}
  const status = (cwd: string) => sandbox.git(['status', '--porcelain', '--untracked-files=all'], cwd)

  beforeAll(async () => {
    sandbox = await createSandbox()
    await mkdir(join(sandbox.repo, '.nexus'))
    await writeFile(join(sandbox.repo, '.nexus', 'config.yaml'), JSON.stringify(backend.config, null, 2))
    await writeFile(join(sandbox.repo, '.gitignore'), '*.log\n')
    await writeFile(join(sandbox.repo, 'gone.txt'), 'tracked, deleted before the snapshot\n')
    await sandbox.git(['add', '.gitignore', 'gone.txt'])
    await sandbox.git(['commit', '-qm', 'ignore logs'])
    const created = await sandbox.json<Workspace>(['workspace', 'create', 'w', '--backend', backend.name])
    worktree = created.worktreePath
  }, 180_000)

  afterAll(async () => {
    console.log(`[snapshot e2e timings on ${backend.name}, ms] ${JSON.stringify(timings)}`)
    if (!sandbox) return
    for (const name of ['w', 'copy'])
      await sandbox.nexus(['workspace', 'destroy', name, '--force', '--volumes', '--with-snapshots'])
    await sandbox.cleanup()
  }, 60_000)

  let snapshot: SnapshotRecord
  let before: { status: string; files: Record<string, string | null>; head: string }

  it('takes a snapshot of committed and uncommitted work (and backend state), and lists it', async () => {
    await writeFile(join(worktree, 'committed.txt'), 'committed before\n')
    await sandbox.git(['add', 'committed.txt'], worktree)
    await sandbox.git(['commit', '-qm', 'before the snapshot'], worktree)
    await writeFile(join(worktree, 'README.md'), '# modified, not committed\n')
    await rm(join(worktree, 'gone.txt'))
    await writeFile(join(worktree, 'staged.txt'), 'staged\n')
    await sandbox.git(['add', 'staged.txt'], worktree)
    await writeFile(join(worktree, 'new.txt'), 'untracked\n')
    await writeFile(join(worktree, 'debug.log'), 'ignored, before\n')
    await backend.backendState?.write(sandbox, 'w', 'v1')
    before = {
      status: await status(worktree),
      files: await contents(worktree),
      head: await sandbox.git(['rev-parse', 'HEAD'], worktree),
    }

    const started = performance.now()
    snapshot = await sandbox.json<SnapshotRecord>([
      'workspace',
      'snapshot',
      'create',
      'w',
      'base',
      '-d',
      'the base',
    ])
    timings.cliSnapshotCreate = Math.round(performance.now() - started)
    expect(snapshot).toMatchObject({ name: 'base', description: 'the base', worktree: { head: before.head } })
    expect(await status(worktree)).toBe(before.status)

    const listed = await sandbox.json<SnapshotRecord[]>(['workspace', 'snapshot', 'list', 'w'])
    expect(listed.map((s) => [s.name, s.sizeBytes > 0])).toEqual([['base', true]])
    const table = await sandbox.nexus(['workspace', 'snapshot', 'list', 'w'])
    expect(table.stdout).toMatch(
      /^NAME\s+SIZE\s+CREATED\s+DESCRIPTION\nbase\s+[\d.]+ (B|KiB|MiB|GiB)\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+the base\n$/,
    )
  })

  it('restores modified, deleted and added files, committed and uncommitted, and the backend state', async () => {
    await writeFile(join(worktree, 'later.txt'), 'committed after\n')
    await sandbox.git(['add', 'later.txt'], worktree)
    await sandbox.git(['commit', '-qm', 'after the snapshot'], worktree)
    await writeFile(join(worktree, 'README.md'), '# changed again\n')
    await writeFile(join(worktree, 'gone.txt'), 'back again\n')
    await rm(join(worktree, 'new.txt'))
    await writeFile(join(worktree, 'another.txt'), 'added after\n')
    await writeFile(join(worktree, 'debug.log'), 'ignored, after\n')
    await backend.backendState?.write(sandbox, 'w', 'v2')

    const started = performance.now()
    const restored = await sandbox.json<SnapshotRestoreResult>([
      'workspace',
      'snapshot',
      'restore',
      'w',
      'base',
    ])
    timings.cliSnapshotRestore = Math.round(performance.now() - started)
    expect(restored.workspace.status).toBe('running')
    expect(await status(worktree)).toBe(before.status)
    expect(await contents(worktree)).toEqual(before.files)
    expect(await sandbox.git(['rev-parse', 'HEAD'], worktree)).toBe(before.head)
    expect(await readFile(join(worktree, 'debug.log'), 'utf8')).toBe('ignored, after\n')
    if (backend.backendState) expect(await backend.backendState.read(sandbox, 'w')).toBe('v1 db-v1')
    // What the restore replaced is kept, not lost: a backup commit with the files as they were just before.
    const backups = await sandbox.git(['for-each-ref', '--format=%(refname)', 'refs/nexus/backups/'])
    expect(backups.split('\n').filter(Boolean)).toHaveLength(1)
    expect(restored.warnings.join(' ')).toContain(backups.trim())
    expect(await sandbox.git(['show', `${backups.trim()}:another.txt`])).toBe('added after')
  })

  it('creates a new workspace from the snapshot, with its content', async () => {
    const copy = await sandbox.json<Workspace>(['workspace', 'create', 'copy', '--from-snapshot', 'base'])
    expect(copy).toMatchObject({ backend: backend.name, status: 'running', branch: 'nexus/copy' })
    expect(await sandbox.git(['rev-parse', 'HEAD'], copy.worktreePath)).toBe(before.head)
    expect(await contents(copy.worktreePath)).toEqual(before.files)
    expect(await status(copy.worktreePath)).toBe(before.status)
    if (backend.backendState) expect(await backend.backendState.read(sandbox, 'copy')).toBe('v1 db-v1')
  })

  it('refuses to destroy a workspace that has snapshots, unless --with-snapshots', async () => {
    const refused = await sandbox.nexus(['workspace', 'destroy', 'w', '--force', '--json'])
    expect(refused.code).not.toBe(0)
    const { error } = parseErrorDocument(refused.stdout)
    expect(error.code).toBe('HAS_SNAPSHOTS')
    expect(error.suggestion).toContain('--with-snapshots')
    expect(await sandbox.git(['for-each-ref', '--format=%(refname)', 'refs/nexus/snapshots/'])).toContain(
      '/base',
    )

    const destroyed = await sandbox.nexus([
      'workspace',
      'destroy',
      'w',
      '--force',
      '--volumes',
      '--with-snapshots',
    ])
    expect(destroyed.code, destroyed.stderr).toBe(0)
    expect(await sandbox.git(['for-each-ref', 'refs/nexus/snapshots/'])).toBe('')
    if (backend.name === 'docker') {
      expect(await docker(['images', '-q', String(snapshot.backend.image)])).toBe('')
    }
  })
}

describe('snapshots on the mock backend', () => acceptance({ name: 'mock', config: {} }))

describe.skipIf(!engineUp)('snapshots on the Docker backend', () => acceptance(DOCKER))

describe('a backend without the snapshots capability', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await createSandbox()
    await mkdir(join(sandbox.repo, '.nexus'))
    const config = { backends: { mock: { capabilities: { snapshots: false } } } }
    await writeFile(join(sandbox.repo, '.nexus', 'config.yaml'), JSON.stringify(config))
    await sandbox.json<Workspace>(['workspace', 'create', 'plain', '--backend', 'mock'])
  })
  afterAll(async () => {
    await sandbox?.cleanup()
  })

  it('refuses snapshot create and restore with CAPABILITY_NOT_SUPPORTED, and lists none', async () => {
    for (const verb of ['create', 'restore']) {
      const result = await sandbox.nexus(['workspace', 'snapshot', verb, 'plain', 'base', '--json'])
      expect(result.code).toBe(1)
      expect(parseErrorDocument(result.stdout).error.code).toBe('CAPABILITY_NOT_SUPPORTED')
    }
    expect(await sandbox.json<SnapshotRecord[]>(['workspace', 'snapshot', 'list', 'plain'])).toEqual([])
  })

  it('refuses a snapshot name that is not a valid name with INVALID_NAME', async () => {
    const result = await sandbox.nexus(['workspace', 'snapshot', 'create', 'plain', 'Not Valid', '--json'])
    expect(parseErrorDocument(result.stdout).error.code).toBe('INVALID_NAME')
  })
})
