import { NexusError } from '../errors/index.js'

export const WORKSPACE_STATUSES = [
  'pending',
  'stopped',
  'running',
  'paused',
  'error',
  'destroying',
  'destroyed',
] as const
export type WorkspaceStatus = (typeof WORKSPACE_STATUSES)[number]

/** Which status may follow which. Anything else is a bug or a race, and is refused. */
export const STATUS_TRANSITIONS: Readonly<Record<WorkspaceStatus, readonly WorkspaceStatus[]>> = {
  pending: ['stopped', 'error'],
  stopped: ['running', 'destroying'],
  running: ['stopped', 'paused', 'error', 'destroying'],
  paused: ['running', 'destroying'],
  error: ['pending', 'stopped', 'destroying'],
  destroying: ['destroyed', 'error'],
  destroyed: [],
}

export function canTransition(from: WorkspaceStatus, to: WorkspaceStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to)
}

export function assertTransition(name: string, from: WorkspaceStatus, to: WorkspaceStatus): void {
  if (from === to || canTransition(from, to)) return
  throw new NexusError('INVALID_TRANSITION', `Workspace "${name}" cannot go from ${from} to ${to}.`, {
    suggestion: `Run \`nexus workspace info ${name}\` to see its state, or \`nexus workspace repair ${name}\`.`,
    details: { from, to },
  })
}

export function isWorkspaceStatus(value: unknown): value is WorkspaceStatus {
  return typeof value === 'string' && (WORKSPACE_STATUSES as readonly string[]).includes(value)
}
