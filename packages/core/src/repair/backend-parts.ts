import { managerConfig } from '../manager/config-view.js'
import type { ManagerDeps } from '../manager/index.js'
import { startOnBackend } from '../manager/lifecycle.js'
import { transition } from '../manager/records.js'
import { workspaceEnv } from '../manager/workspace-env.js'
import type { Provider, WorkspaceSpec } from '../provider/index.js'
import { agentPublicKeys, ensureKeyPair } from '../ssh/index.js'
import { findRepository } from '../worktree/index.js'
import type { Workspace } from '../workspace/index.js'

/**
 * The spec create hands a backend, rebuilt: env and keys from today's config, the backend options (`--image`, …) as
 * the original create recorded them; the worktree, ports and name are the record's. A record from before options
 * were recorded has none, so its backend follows config.
 */
export async function specFor(deps: ManagerDeps, workspace: Workspace): Promise<WorkspaceSpec> {
  const config = managerConfig(deps.loaded)
  const repo = await findRepository(workspace.repoRoot)
  const keys = await ensureKeyPair(deps.state.nexusHome)
  const agentKeys = config.includeAgentKeys ? await agentPublicKeys(deps.env) : []
  return {
    env: await workspaceEnv(config.envFiles, config.env),
    authorizedKeys: [keys.publicKey, ...agentKeys],
    gitCommonDir: repo.gitCommonDir,
    options: workspace.backendOptions ?? {},
  }
}

/**
 * Provisions the workspace on its backend again and brings it back to the status its record holds: a running
 * (or paused) workspace is started, a stopped one stays stopped. Returns the saved record.
 */
export async function recreateOnBackend(
  deps: ManagerDeps,
  provider: Provider,
  workspace: Workspace,
): Promise<Workspace> {
  const created = await provider.create({ workspace, spec: await specFor(deps, workspace) })
  const saved = await transition(deps, workspace, workspace.status, { backendRef: created.backendRef })
  if (saved.status !== 'running' && saved.status !== 'paused') return saved
  const running = saved.status === 'paused' ? await transition(deps, saved, 'running') : saved
  return startOnBackend(deps, provider, running)
}

/**
 * Stops and starts a workspace on its backend, so that it mounts a worktree directory that was recreated: a
 * running container still sees the deleted directory it was started with.
 */
export async function restartOnBackend(
  deps: ManagerDeps,
  provider: Provider,
  workspace: Workspace,
  live: 'running' | 'paused',
): Promise<Workspace> {
  if (live === 'paused') await provider.resume(workspace)
  await provider.stop(workspace)
  return startOnBackend(
    deps,
    provider,
    workspace.status === 'paused' ? await transition(deps, workspace, 'running') : workspace,
  )
}
