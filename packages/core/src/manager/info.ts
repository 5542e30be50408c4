import {
  supportedCapabilities,
  type InspectResult,
  type SshEndpoint,
  type StatsResult,
} from '../provider/index.js'
import type { Workspace } from '../workspace/index.js'
import type { ManagerDeps } from './deps.js'
import { sshAlias } from './ssh-config-sync.js'

export interface EscapeHatch {
  id: string
  summary: string
  scope: 'workspace' | 'provider'
  /** The command that runs it, e.g. `nexus workspace provider daytona snapshot create my-feature`. */
  command: string
}

export interface WorkspaceInfo extends Workspace {
  live: InspectResult
  ssh: (SshEndpoint & { alias: string; command: string }) | null
  capabilities: string[]
  escapeHatches: EscapeHatch[]
  stats: StatsResult | null
}

export function operationCommand(
  backend: string,
  id: string,
  scope: 'workspace' | 'provider',
  workspaceName?: string,
): string {
  const words = id.split('.').slice(1).join(' ')
  return `nexus workspace provider ${backend} ${words}${scope === 'workspace' && workspaceName ? ` ${workspaceName}` : ''}`
}

/** Everything about one workspace, with its live status from the backend (not just what state remembers). */
export async function workspaceInfo(deps: ManagerDeps, workspace: Workspace): Promise<WorkspaceInfo> {
  const provider = await deps.registry.get(workspace.backend)
  const capabilities = provider.capabilities()
  const live = await provider
    .inspect(workspace)
    .catch((error: unknown) => ({ status: 'error' as const, detail: (error as Error).message }))
  let ssh: WorkspaceInfo['ssh'] = null
  if (capabilities.ssh === true && workspace.status !== 'destroying') {
    const endpoint = await provider.sshEndpoint(workspace).catch(() => null)
    if (endpoint)
      ssh = { ...endpoint, alias: sshAlias(workspace.name), command: `nexus workspace ssh ${workspace.name}` }
  }
  const stats =
    live.status === 'running' && provider.stats ? await provider.stats(workspace).catch(() => null) : null
  return {
    ...workspace,
    live,
    ssh,
    capabilities: supportedCapabilities(capabilities),
    escapeHatches: provider.operations().map((op) => ({
      id: op.id,
      summary: op.summary,
      scope: op.scope,
      command: operationCommand(workspace.backend, op.id, op.scope, workspace.name),
    })),
    stats,
  }
}
