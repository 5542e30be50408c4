import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NexusError } from '../errors/index.js'
import { isPortFree } from '../ports/probe.js'
import { PORT_BLOCK_SIZE, PORT_RANGES } from '../ports/ranges.js'
import type { WorkspaceSpec } from '../provider/index.js'
import { RESOURCE_CLASSES, validateWorkspaceName, type Workspace } from '../workspace/index.js'
import { runProgram } from '../util/exec-file.js'

/** A file committed to every test repository, so a test can tell the worktree is what a command sees. */
export const CONFORMANCE_MARKER = {
  file: 'nexus-conformance.txt',
  content: 'nexus conformance marker\n',
} as const

export interface TestWorkspaceOptions {
  backend: string
  name: string
  /** Directory to make the repository under; a new temp directory when absent. */
  root?: string
  /** Generate an ed25519 key pair: the public key goes into `spec.authorizedKeys`, the private one to `identityPath`. */
  withSshKey?: boolean
}

export interface TestWorkspace {
  workspace: Workspace
  spec: WorkspaceSpec
  repoRoot: string
  /** The private key matching `spec.authorizedKeys`, when `withSshKey` was set. */
  identityPath: string | null
  /** Removes the repository, its worktree and the key. */
  cleanup(): Promise<void>
}

/**
 * A workspace as `nexus workspace create` would hand it to a provider, backed by real things: a fresh git
 * repository with one commit, a worktree on `nexus/<name>` under `<repo>/.nexus/worktrees/<name>`, and an SSH
 * port that nothing on this machine holds.
 */
export async function makeTestWorkspace(options: TestWorkspaceOptions): Promise<TestWorkspace> {
  validateWorkspaceName(options.name)
  const parent = options.root ?? tmpdir()
  await mkdir(parent, { recursive: true })
  const base = await mkdtemp(join(parent, `nexus-test-${options.name}-`))
  const repoRoot = join(base, 'repo')
  const branch = `nexus/${options.name}`
  const worktreePath = join(repoRoot, '.nexus', 'worktrees', options.name)

  await git(base, ['init', '-q', '-b', 'main', repoRoot])
  await writeFile(join(repoRoot, 'README.md'), `# ${options.name}\n\nA repository made by nexus tests.\n`)
  await writeFile(join(repoRoot, CONFORMANCE_MARKER.file), CONFORMANCE_MARKER.content)
  await writeFile(join(repoRoot, '.git', 'info', 'exclude'), '.nexus/\n')
  await git(repoRoot, ['add', '-A'])
  await git(repoRoot, ['commit', '-q', '-m', 'Initial commit'])
  await git(repoRoot, ['worktree', 'add', '-q', '-b', branch, worktreePath])

  const sshPort = await findFreePortBlock()
  const key = options.withSshKey ? await writeKeyPair(base, options.name) : null
  const now = new Date().toISOString()
  const workspace: Workspace = {
    schemaVersion: 1,
    id: randomUUID(),
    name: options.name,
    backend: options.backend,
    status: 'pending',
    branch,
    worktreePath,
    repoRoot,
    portBlockStart: sshPort,
    ports: [{ name: 'ssh', containerPort: 22, hostPort: sshPort }],
    resources: { class: 'small', ...RESOURCE_CLASSES.small },
    labels: {},
    createdAt: now,
    updatedAt: now,
    lastActiveAt: now,
    backendRef: null,
    lastError: null,
  }
  const spec: WorkspaceSpec = {
    env: {},
    authorizedKeys: key ? [key.publicKey] : [],
    gitCommonDir: join(repoRoot, '.git'),
    options: {},
  }
  return {
    workspace,
    spec,
    repoRoot,
    identityPath: key?.identityPath ?? null,
    // A backend may have left files it owns (e.g. root in a container) in the worktree; a leftover temp
    // directory is not worth failing a test run over.
    cleanup: () => rm(base, { recursive: true, force: true }).catch(() => undefined),
  }
}

async function git(cwd: string, args: string[]): Promise<void> {
  const identity = [
    '-c',
    'user.name=nexus tests',
    '-c',
    'user.email=tests@nexus.invalid',
    '-c',
    'commit.gpgsign=false',
  ]
  const result = await runProgram('git', [...identity, ...args], { cwd })
  if (result.exitCode !== 0) {
    throw new NexusError('GIT_ERROR', `git ${args[0]} failed in ${cwd}: ${result.stderr.trim()}`, {
      suggestion: 'Check that git (2.20 or newer) is installed and on PATH.',
    })
  }
}

/** A block start in the fallback range whose ports are free right now, found by binding them. */
async function findFreePortBlock(): Promise<number> {
  const { start, end } = PORT_RANGES.fallback
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = start + Math.floor(Math.random() * (end - start - PORT_BLOCK_SIZE))
    const probes = await Promise.all(
      Array.from({ length: PORT_BLOCK_SIZE }, (_, i) => isPortFree(candidate + i)),
    )
    if (probes.every(Boolean)) return candidate
  }
  throw new NexusError(
    'PORTS_EXHAUSTED',
    `No free block of ${PORT_BLOCK_SIZE} ports found in ${start}-${end}.`,
    {
      suggestion: 'Free some ports on this machine and run the tests again.',
    },
  )
}

async function writeKeyPair(dir: string, name: string): Promise<{ publicKey: string; identityPath: string }> {
  // ssh2 is loaded only here: most tests never need a key, and it is the slowest import in core.
  const { default: ssh2 } = await import('ssh2')
  const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: `nexus-test-${name}` })
  const identityPath = join(dir, 'id_ed25519')
  await writeFile(identityPath, pair.private, { mode: 0o600 })
  return { publicKey: pair.public.trim(), identityPath }
}
