import { randomUUID } from 'node:crypto'
import type { CreateOptions } from '../app/types.js'
import { NexusError, describeError, isNexusError, type NexusErrorLike } from '../errors/index.js'
import { allocatePorts, collectPortRequests, rangesForBackend } from '../ports/index.js'
import type { Provider } from '../provider/index.js'
import { agentPublicKeys, ensureKeyPair } from '../ssh/index.js'
import { workspaceLockKey } from '../state/index.js'
import {
  branchName,
  findRepository,
  worktreePath,
  type AddedWorktree,
  type Repository,
} from '../worktree/index.js'
import {
  RESOURCE_CLASSES,
  validateWorkspaceName,
  type JsonObject,
  type Workspace,
} from '../workspace/index.js'
import { managerConfig } from './config-view.js'
import { PORTS_LOCK, timestamp, type ManagerDeps } from './deps.js'
import { markError, transition } from './records.js'
import { prepareWorktree, undoWorktree, type CreateWorkspaceOptions } from './create-worktree.js'
import { recordableBackendOptions } from './backend-options.js'
import { assertFreeSpace } from './disk-space.js'
import { createOnBackend, snapshotToStartFrom, type SnapshotSource } from './snapshot-source.js'
import { startOnBackend } from './lifecycle.js'
import { workspaceEnv } from './workspace-env.js'

/**
 * create: name → repository → backend → (lock) → ports + pending record → worktree → backend create → start.
 * Each step undoes the earlier ones when it fails, so a failed create leaves no record, no worktree, and no port
 * reservation behind — or, when the failure is past the point of undoing, a record in `error` saying what to run.
 */
export async function createWorkspace(
  deps: ManagerDeps,
  options: CreateWorkspaceOptions,
): Promise<Workspace> {
  validateWorkspaceName(options.name)
  const repo = await findRepository(deps.cwd)
  await assertFreeSpace([
    { path: repo.repoRoot, what: 'the repository' },
    { path: deps.state.nexusHome, what: 'NEXUS_HOME' },
  ])
  const config = managerConfig(deps.loaded)
  const source = await snapshotToStartFrom(deps, repo, options)
  // A snapshot's backend state can only come back on the backend that took it: default to that one.
  const backend = options.backend ?? source?.workspace.backend ?? config.defaultBackend
  const provider = await deps.registry.get(backend)

  return deps.state.withLock(
    workspaceLockKey(repo.repoRoot, options.name),
    async () => {
      const existing = await deps.state.findByName(repo.repoRoot, options.name)
      if (existing) {
        throw new NexusError(
          'WORKSPACE_ALREADY_EXISTS',
          `A workspace named "${options.name}" already exists (${existing.status}, ${existing.backend}).`,
          {
            suggestion: `Switch to it with \`nexus workspace switch ${options.name}\`, start it with \`nexus workspace start ${options.name}\`, or choose another name.`,
            details: { name: options.name, id: existing.id },
          },
        )
      }
      let workspace = await reserve(deps, repo, backend, options)
      try {
        const added = await prepareWorktree(deps, repo, options, source)
        workspace = await provisionOnBackend(deps, provider, workspace, repo, options, added, source)
      } catch (error) {
        await deps.state.remove(workspace.id)
        throw error
      }
      return startAfterCreate(deps, provider, workspace)
    },
    { what: `Workspace "${options.name}"` },
  )
}

/** Allocates the port block and writes the `pending` record in one critical section. */
async function reserve(
  deps: ManagerDeps,
  repo: Repository,
  backend: string,
  options: CreateOptions,
): Promise<Workspace> {
  const config = managerConfig(deps.loaded)
  const requests = collectPortRequests(config.ports, config.services, options.ports ?? [])
  const resourceClass = options.resources ?? config.defaultResources
  const base = RESOURCE_CLASSES[resourceClass]
  return deps.state.withLock(
    PORTS_LOCK,
    async () => {
      const others = await deps.state.list()
      const allocation = await allocatePorts({
        workspaceName: options.name,
        ranges: rangesForBackend(backend, config.portRange),
        requests,
        held: others.flatMap((w) => w.ports),
        heldBlocks: others.map((w) => w.portBlockStart),
      })
      const now = timestamp(deps)
      const workspace: Workspace = {
        schemaVersion: 1,
        id: randomUUID(),
        name: options.name,
        backend,
        status: 'pending',
        branch: branchName(options.name),
        worktreePath: worktreePath(repo.repoRoot, options.name),
        repoRoot: repo.repoRoot,
        portBlockStart: allocation.blockStart,
        ports: allocation.ports,
        resources: {
          class: resourceClass,
          cpu: options.cpu ?? base.cpu,
          memory: options.memory ?? base.memory,
        },
        labels: options.labels ?? {},
        ...(options.options && Object.keys(options.options).length > 0
          ? { backendOptions: recordableBackendOptions(options.options) }
          : {}),
        createdAt: now,
        updatedAt: now,
        lastActiveAt: now,
        backendRef: null,
        lastError: null,
      }
      await deps.state.write(workspace)
      return workspace
    },
    { what: 'The port allocator' },
  )
}

async function provisionOnBackend(
  deps: ManagerDeps,
  provider: Provider,
  workspace: Workspace,
  repo: Repository,
  options: CreateOptions,
  added: AddedWorktree,
  source?: SnapshotSource,
): Promise<Workspace> {
  const config = managerConfig(deps.loaded)
  try {
    const keys = await ensureKeyPair(deps.state.nexusHome)
    const agentKeys = config.includeAgentKeys ? await agentPublicKeys(deps.env) : []
    const step = deps.reporter.step(`Provisioning on ${provider.name}`)
    const spec = {
      env: await workspaceEnv(config.envFiles, config.env),
      authorizedKeys: [keys.publicKey, ...agentKeys],
      gitCommonDir: repo.gitCommonDir,
      options: (options.options ?? {}) as JsonObject,
    }
    const created = await createOnBackend(deps, provider, { workspace, spec }, source).catch(
      (error: unknown) => {
        step('failed')
        throw error
      },
    )
    step('done')
    return await transition(deps, workspace, 'stopped', { backendRef: created.backendRef })
  } catch (error) {
    await undoWorktree(repo, workspace.name, added)
    await provider.destroy(workspace).catch(() => undefined)
    throw wrapBackendError(provider.name, 'create', workspace.name, error)
  }
}

async function startAfterCreate(
  deps: ManagerDeps,
  provider: Provider,
  workspace: Workspace,
): Promise<Workspace> {
  try {
    return await startOnBackend(deps, provider, workspace)
  } catch (error) {
    const wrapped = wrapBackendError(provider.name, 'start', workspace.name, error)
    await markError(deps, workspace, wrapped)
    throw wrapped
  }
}

/** Keeps a provider's own coded error (from whichever copy of core); turns anything else into one naming the backend. */
export function wrapBackendError(
  backend: string,
  action: string,
  name: string,
  error: unknown,
): NexusErrorLike {
  if (isNexusError(error)) return error
  const code = action === 'start' ? 'WORKSPACE_START_FAILED' : 'BACKEND_ERROR'
  return new NexusError(
    code,
    `The ${backend} backend failed to ${action} workspace "${name}": ${describeError(error)}.`,
    {
      suggestion: `Run \`nexus workspace info ${name}\` for details, or retry with --debug.`,
      cause: error,
    },
  )
}
