import { NexusError, type BackendStatus, type JsonObject, type Workspace } from '@nexus/core'

export const LABELS = {
  managedBy: 'nexus.managed-by',
  workspaceId: 'nexus.workspace-id',
  workspaceName: 'nexus.workspace',
  home: 'nexus.home',
} as const

export const MANAGED_BY = 'nexus'

export function sandboxLabels(workspace: Workspace, home: string): Record<string, string> {
  return {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.home]: home,
    [LABELS.workspaceId]: workspace.id,
    [LABELS.workspaceName]: workspace.name,
  }
}

/** Unique per workspace (names are unique per organisation) and readable in Daytona's dashboard. */
export function sandboxName(workspace: Workspace): string {
  return `nexus-${workspace.name}-${workspace.id.slice(0, 8)}`
}

/** Where the code lives inside the sandbox, below the sandbox user's home directory. */
export function workdirUnder(home: string): string {
  return `${home.replace(/\/+$/, '')}/workspace`
}

/** What nexus keeps in `backendRef`: ids and paths only, never a key or token. */
export interface SandboxRef {
  sandboxId: string
  workdir: string
}

export function toBackendRef(ref: SandboxRef): JsonObject {
  return { sandboxId: ref.sandboxId, workdir: ref.workdir }
}

export function refOf(workspace: Workspace): SandboxRef | undefined {
  const ref = workspace.backendRef
  if (!ref || typeof ref.sandboxId !== 'string') return undefined
  return { sandboxId: ref.sandboxId, workdir: typeof ref.workdir === 'string' ? ref.workdir : '' }
}

export function requireRef(workspace: Workspace): SandboxRef {
  const ref = refOf(workspace)
  if (ref) return ref
  throw new NexusError(
    'STATE_CORRUPT',
    `Workspace "${workspace.name}" has no Daytona sandbox in its record.`,
    {
      suggestion: `Repair it with \`nexus workspace repair ${workspace.name}\`, or destroy and recreate it.`,
    },
  )
}

const TRANSITIONAL = new Set([
  'creating',
  'restoring',
  'starting',
  'stopping',
  'pending_build',
  'building_snapshot',
  'pulling_snapshot',
  'archiving',
  'resizing',
  'snapshotting',
  'forking',
  'pausing',
  'resuming',
  'unknown',
])

/** Daytona's sandbox states as nexus statuses. */
export function statusOf(state: string | undefined): BackendStatus {
  if (state === 'started') return 'running'
  if (state === 'stopped' || state === 'archived') return 'stopped'
  if (state === 'paused') return 'paused'
  if (state === 'error' || state === 'build_failed') return 'error'
  if (state === 'destroyed' || state === 'destroying') return 'missing'
  if (state === undefined || TRANSITIONAL.has(state)) return 'pending'
  return 'pending'
}

/** States worth telling the user about while create waits. */
export const PROGRESS_STATES: Record<string, string> = {
  pending_build: 'waiting for the image build',
  building_snapshot: 'building the image',
  pulling_snapshot: 'pulling the image',
  creating: 'creating the sandbox',
  starting: 'starting the sandbox',
  restoring: 'restoring the sandbox',
}
