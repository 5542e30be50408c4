import type { BackendStatus } from '../provider/index.js'
import type { Workspace } from '../workspace/index.js'
import type { ManagerDeps } from './deps.js'

/** What the backend said when asked; `unreachable` when it did not answer in time or failed. */
export interface ObservedStatus {
  status: BackendStatus | 'unreachable'
  detail?: string
}

export type ListedWorkspace = Workspace & {
  /** The backend's own view, for workspaces that claim compute is up; null when not asked (state only). */
  observed: ObservedStatus | null
}

/** How long `ls` waits on a backend before showing the recorded status with "unreachable" beside it. */
export const OBSERVE_TIMEOUT_MS = 3000

/**
 * Asks the backends about the workspaces recorded running or paused: those are the records that can turn into lies
 * behind nexus's back (an engine restart, a crash, an auto-stop). Stopped records are left alone, which keeps `ls`
 * free of backend calls in the common case of nothing running. The records themselves are not changed here:
 * `start` and `repair` reconcile them.
 */
export async function observeWorkspaces(
  deps: ManagerDeps,
  workspaces: readonly Workspace[],
): Promise<ListedWorkspace[]> {
  const claimsCompute = (w: Workspace) => w.status === 'running' || w.status === 'paused'
  const observed = await Promise.all(
    workspaces.map(async (workspace) => (claimsCompute(workspace) ? observe(deps, workspace) : null)),
  )
  return workspaces.map((workspace, index) => ({ ...workspace, observed: observed[index] ?? null }))
}

async function observe(deps: ManagerDeps, workspace: Workspace): Promise<ObservedStatus> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<ObservedStatus>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'unreachable', detail: `no answer within ${OBSERVE_TIMEOUT_MS / 1000} s` }),
      OBSERVE_TIMEOUT_MS,
    )
  })
  const asked = (async (): Promise<ObservedStatus> => {
    try {
      const provider = await deps.registry.get(workspace.backend)
      const live = await provider.inspect(workspace)
      return { status: live.status, ...(live.detail ? { detail: live.detail } : {}) }
    } catch (error) {
      return { status: 'unreachable', detail: error instanceof Error ? error.message : String(error) }
    }
  })()
  try {
    return await Promise.race([asked, timeout])
  } finally {
    clearTimeout(timer)
  }
}
