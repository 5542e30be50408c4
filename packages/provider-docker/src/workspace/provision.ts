import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import {
  NexusError,
  describeError,
  sshPaths,
  type JsonObject,
  type Reporter,
  type Workspace,
} from '@nexus/core'
import { candidateSubnets } from '../network/subnets.js'
import { chooseImage, type DockerBackendConfig } from '../config.js'
import type { Engine } from '../engine/engine.js'
import type { Clock } from '../engine/retry.js'
import { engineStatusOf } from '../engine/errors.js'
import type { HostIdentity, ImageBuilder, WorkspaceImage } from '../image/builder.js'
import { parseServices, type ServiceDefinition } from '../services/config.js'
import { provisionServices, removeStaleServices } from '../services/runtime.js'
import { workspaceContainerSpec } from './container-spec.js'
import { withMountErrors } from './mount-errors.js'
import { LABELS, MANAGED_BY, namesFor, repoSlug, workspaceLabels } from './naming.js'
import type { StoredWorkspace, WorkspaceStore } from './store.js'

/** Everything the workspace operations share, made once per provider. */
export interface DockerDeps {
  engine: Engine
  config: DockerBackendConfig
  globalConfig: JsonObject
  nexusHome: string
  reporter: Reporter
  store: WorkspaceStore
  images: ImageBuilder
  identity: HostIdentity
  clock: Clock
}

export function servicesOf(deps: DockerDeps, workspace: Workspace): ServiceDefinition[] {
  return parseServices(deps.globalConfig, workspace.worktreePath)
}

function ownerOf(labels: Record<string, string> | undefined): string | undefined {
  return labels?.[LABELS.workspaceId]
}

/**
 * A resource an earlier workspace of the same name in the same repository left behind. Names are unique per
 * repository, so that workspace is gone (its record lost, or destroyed while the engine was away) and the name is
 * this workspace's now.
 */
function isLeftoverOf(labels: Record<string, string> | undefined, workspace: Workspace): boolean {
  return (
    labels?.[LABELS.managedBy] === MANAGED_BY &&
    labels[LABELS.repo] === workspace.repoRoot &&
    labels[LABELS.workspace] === workspace.name &&
    labels[LABELS.workspaceId] !== workspace.id
  )
}

function nameTaken(kind: string, name: string): NexusError {
  return new NexusError(
    'WORKSPACE_ALREADY_EXISTS',
    `Docker already has a ${kind} named ${name} that nexus did not make for this workspace.`,
    {
      suggestion: `Remove it (\`docker ${kind} rm ${name}\`), or choose another workspace name.`,
      details: { [kind]: name },
    },
  )
}

/** Creates the workspace's bridge network, or adopts it when this workspace made it before. */
export async function ensureNetwork(deps: DockerDeps, workspace: Workspace): Promise<void> {
  const name = namesFor(workspace).network
  const existing = await deps.engine.inspectNetwork(name)
  if (existing) {
    if (ownerOf(existing.Labels) === workspace.id) return
    const inUse = Object.keys(existing.Containers ?? {}).length > 0
    if (!isLeftoverOf(existing.Labels, workspace) || inUse) throw nameTaken('network', name)
    // Its subnet may not suit the pool any more, and its options are an older nexus's: make it afresh.
    await deps.engine.removeNetwork(name)
  }
  const candidates = candidateSubnets(
    deps.config.networkPool,
    workspace.id,
    await deps.engine.listNetworkSubnets(),
  )
  if (candidates.length === 0) throw poolExhausted(deps.config.networkPool)
  // Another create may take the same subnet between our look and our create: the engine refuses the overlap, and
  // the next candidate is tried.
  let lastError: unknown
  for (const subnet of candidates.slice(0, 8)) {
    try {
      await deps.engine.createNetwork(name, workspaceLabels(workspace), subnet)
      return
    } catch (error) {
      lastError = error
      const raced = await deps.engine.inspectNetwork(name)
      if (raced) {
        if (ownerOf(raced.Labels) !== workspace.id) throw nameTaken('network', name)
        return
      }
      if (!/overlap/i.test(describeError(error))) throw error
    }
  }
  throw lastError
}

function poolExhausted(pool: string): NexusError {
  return new NexusError('RESOURCE_EXHAUSTED', `Every workspace network in ${pool} is in use.`, {
    suggestion:
      'Destroy workspaces you no longer need, or widen the pool: `nexus config set backends.docker.network_pool 10.213.0.0/15`.',
  })
}

/**
 * The git common dir of a worktree, from its `.git` file (`gitdir: <common>/worktrees/<name>`), for rebuilding a
 * lost record.
 */
function gitCommonDirOf(worktreePath: string, repoRoot: string): string {
  const gitFile = join(worktreePath, '.git')
  if (existsSync(gitFile)) {
    const match = readFileSync(gitFile, 'utf8').match(/^gitdir:\s*(.+)$/m)
    if (match?.[1]) return resolve(dirname(resolve(worktreePath, match[1].trim())), '..')
  }
  return join(repoRoot, '.git')
}

/**
 * The stored spec of a workspace, or — when the provider's record was lost — one rebuilt from what can be known:
 * the git layout, nexus's public key, and the configured image. The env cannot be recovered and is reported.
 */
export async function storedSpecFor(
  deps: DockerDeps,
  workspace: Workspace,
  warnings: string[],
): Promise<StoredWorkspace> {
  const stored = await deps.store.read(workspace.id)
  if (stored) return stored
  const publicKey = sshPaths(deps.nexusHome).publicKey
  const rebuilt: StoredWorkspace = {
    version: 1,
    env: {},
    authorizedKeys: existsSync(publicKey) ? [readFileSync(publicKey, 'utf8').trim()] : [],
    gitCommonDir: gitCommonDirOf(workspace.worktreePath, workspace.repoRoot),
    image: chooseImage(deps.config, {}),
    volumes: [],
    networks: [],
  }
  await deps.store.write(workspace.id, rebuilt)
  warnings.push(
    `The Docker backend's record of "${workspace.name}" was missing; it was rebuilt without the workspace env.`,
  )
  return rebuilt
}

export async function ensureWorkspaceImage(
  deps: DockerDeps,
  workspace: Workspace,
  stored: StoredWorkspace,
  rebuild = false,
): Promise<WorkspaceImage> {
  return deps.images.ensure(
    stored.image,
    { dir: workspace.worktreePath, name: repoSlug(workspace.repoRoot) },
    { rebuild },
  )
}

/** Creates the workspace container (not started), replacing an earlier one of this workspace. Returns its id. */
export async function createWorkspaceContainer(
  deps: DockerDeps,
  workspace: Workspace,
  stored: StoredWorkspace,
  image: Pick<WorkspaceImage, 'tag' | 'user'>,
): Promise<string> {
  const names = namesFor(workspace)
  const spec = workspaceContainerSpec({
    workspace,
    stored,
    image,
    authorizedKeysFile: deps.store.authorizedKeysPath(workspace.id),
    config: deps.config,
    engine: await deps.engine.info(),
  })
  const create = () =>
    withMountErrors(workspace, deps.engine.location, () => deps.engine.createContainer(spec))
  let id: string
  try {
    id = await create()
  } catch (error) {
    const existing =
      engineStatusOf(error) === 409 ? await deps.engine.inspectContainer(names.container) : null
    if (!existing) throw error
    const mine = ownerOf(existing.Config.Labels) === workspace.id
    if (!mine && !(isLeftoverOf(existing.Config.Labels, workspace) && !existing.State.Running))
      throw nameTaken('container', names.container)
    await deps.engine.removeContainer(names.container, { force: true })
    id = await create()
  }
  for (const network of stored.networks) await deps.engine.connectNetwork(network, id, [workspace.name])
  return id
}

/** Network, service containers and the workspace container, all created and none started. */
export async function provisionAll(
  deps: DockerDeps,
  workspace: Workspace,
  stored: StoredWorkspace,
): Promise<{ containerId: string; image: WorkspaceImage }> {
  const services = servicesOf(deps, workspace)
  const [image] = await Promise.all([
    ensureWorkspaceImage(deps, workspace, stored),
    ensureNetwork(deps, workspace),
  ])
  const [containerId] = await Promise.all([
    createWorkspaceContainer(deps, workspace, stored, image),
    provisionServices(deps.engine, deps.reporter, workspace, services),
    removeStaleServices(deps.engine, workspace, services),
  ])
  return { containerId, image }
}
