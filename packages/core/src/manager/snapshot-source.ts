import type { CreateOptions } from '../app/types.js'
import { NexusError } from '../errors/index.js'
import type { CreateRequest, CreateResult, Provider } from '../provider/index.js'
import { gitWith } from '../snapshots/git-env.js'
import {
  SnapshotStore,
  restoreWorktree,
  validateSnapshotName,
  type SnapshotRecord,
  type SnapshotSourceSpec,
} from '../snapshots/index.js'
import type { Workspace } from '../workspace/index.js'
import { branchName, removeWorktree, worktreePath, type Repository } from '../worktree/index.js'
import type { ManagerDeps } from './deps.js'
import { resolveWorkspace } from './records.js'

/** A snapshot and the workspace it belongs to: what `create --from-snapshot` starts from. */
export interface SnapshotSource {
  workspace: Workspace
  snapshot: SnapshotRecord
}

export function storeOf(deps: ManagerDeps): SnapshotStore {
  return new SnapshotStore(deps.state.nexusHome)
}

export async function requireSnapshot(
  deps: ManagerDeps,
  workspace: Workspace,
  name: string,
): Promise<SnapshotRecord> {
  const found = await storeOf(deps).find(workspace.id, name)
  if (found) return found
  throw new NexusError(
    'SNAPSHOT_NOT_FOUND',
    `Workspace "${workspace.name}" has no snapshot named "${name}".`,
    {
      suggestion: `List its snapshots with \`nexus workspace snapshot list ${workspace.name}\`.`,
      details: { workspace: workspace.name, snapshot: name },
    },
  )
}

/** Finds the snapshot a new workspace starts from, among the workspaces of `repoRoot`. */
export async function resolveSnapshotSource(
  deps: ManagerDeps,
  repoRoot: string,
  spec: SnapshotSourceSpec,
): Promise<SnapshotSource> {
  validateSnapshotName(spec.snapshot)
  if (spec.workspace !== undefined) {
    const workspace = await resolveWorkspace(deps, spec.workspace, repoRoot)
    return { workspace, snapshot: await requireSnapshot(deps, workspace, spec.snapshot) }
  }
  const workspaces = (await deps.state.list()).filter((workspace) => workspace.repoRoot === repoRoot)
  const found = await Promise.all(
    workspaces.map(async (workspace) => ({
      workspace,
      snapshot: await storeOf(deps).find(workspace.id, spec.snapshot),
    })),
  )
  const matches = found.filter((match): match is SnapshotSource => match.snapshot !== undefined)
  const [only] = matches
  if (matches.length === 1 && only) return only
  if (matches.length > 1) {
    const names = matches.map((match) => `${match.workspace.name}/${spec.snapshot}`)
    throw new NexusError(
      'INVALID_ARGUMENT',
      `Several workspaces have a snapshot named "${spec.snapshot}": ${names.join(', ')}.`,
      {
        suggestion: `Name the workspace too, e.g. \`--from-snapshot ${names[0] ?? ''}\`.`,
        details: { candidates: names },
      },
    )
  }
  throw new NexusError(
    'SNAPSHOT_NOT_FOUND',
    `No workspace of this repository has a snapshot named "${spec.snapshot}".`,
    {
      suggestion: "List a workspace's snapshots with `nexus workspace snapshot list <workspace>`.",
      details: { snapshot: spec.snapshot },
    },
  )
}

/**
 * `create --from-snapshot`, before anything is made: finds the snapshot, and refuses a name whose branch already
 * exists (the worktree would reuse that branch, and putting the snapshot on it would move its commits away).
 */
export async function snapshotToStartFrom(
  deps: ManagerDeps,
  repo: Repository,
  options: CreateOptions,
): Promise<SnapshotSource | undefined> {
  if (!options.fromSnapshot) return undefined
  if (options.fromBranch) {
    throw new NexusError(
      'INVALID_ARGUMENT',
      'A workspace starts either from a branch or from a snapshot, not both.',
      {
        suggestion: 'Drop --from-branch: the snapshot already says which commit the new branch starts at.',
      },
    )
  }
  const source = await resolveSnapshotSource(deps, repo.repoRoot, options.fromSnapshot)
  const branch = branchName(options.name)
  const exists = await gitWith(
    repo.repoRoot,
    ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`],
    {},
    { allowFailure: true },
  )
  if (exists.exitCode === 0) {
    throw new NexusError(
      'INVALID_ARGUMENT',
      `Branch ${branch} already exists, so "${options.name}" cannot start from a snapshot.`,
      {
        suggestion: `Choose another name, or delete the branch first (\`git branch -D ${branch}\`).`,
        details: { branch },
      },
    )
  }
  return source
}

/** Puts the snapshot's files on the fresh worktree; a failure removes the worktree again, leaving nothing behind. */
export async function applySnapshotToWorktree(
  repo: Repository,
  name: string,
  source: SnapshotSource,
): Promise<void> {
  try {
    await restoreWorktree(worktreePath(repo.repoRoot, name), source.snapshot.worktree)
  } catch (error) {
    await removeWorktree({ repoRoot: repo.repoRoot, name, force: true }).catch(() => undefined)
    throw error
  }
}

/**
 * Provisions the new workspace from the snapshot when its backend made the snapshot and can do that; otherwise a
 * normal create (only the worktree then comes from the snapshot, which the user is told).
 */
export async function createOnBackend(
  deps: ManagerDeps,
  provider: Provider,
  request: CreateRequest,
  source: SnapshotSource | undefined,
): Promise<CreateResult> {
  if (!source) return provider.create(request)
  const sameBackend = source.workspace.backend === provider.name
  if (sameBackend && provider.capabilities().snapshots === true && provider.snapshots?.createFrom) {
    return provider.snapshots.createFrom(request, source.snapshot.backend)
  }
  deps.reporter.warn(
    sameBackend
      ? `The ${provider.name} backend cannot provision from a snapshot: only the worktree of ${source.workspace.name}/${source.snapshot.name} is carried over.`
      : `${source.workspace.name}/${source.snapshot.name} was taken on ${source.workspace.backend}: only its worktree is carried over to ${provider.name}.`,
  )
  return provider.create(request)
}
