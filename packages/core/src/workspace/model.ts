import type { WorkspaceStatus } from './status.js'

/** JSON-safe values: what crosses the plugin boundary and what is written to state. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

export const PORT_NAMES = ['ssh', 'web', 'api', 'db', 'cache'] as const

export interface PortMapping {
  /** `ssh`, `web`, `api`, `db`, `cache`, or a name from config / `--port`. */
  name: string
  containerPort: number
  hostPort: number
  /** The `services:` entry that publishes this port; absent for the workspace's own container. */
  service?: string
}

export interface Resources {
  class: ResourceClass
  cpu: number
  /** GiB */
  memory: number
  /** GiB, when the backend sizes disks */
  disk?: number
}

export const RESOURCE_CLASSES = {
  small: { cpu: 1, memory: 2 },
  medium: { cpu: 2, memory: 4 },
  large: { cpu: 4, memory: 8 },
  xlarge: { cpu: 8, memory: 16 },
} as const
export type ResourceClass = keyof typeof RESOURCE_CLASSES

export interface Workspace {
  schemaVersion: 1
  id: string
  name: string
  backend: string
  status: WorkspaceStatus
  branch: string
  worktreePath: string
  repoRoot: string
  /** Where the port block starts; the block covers [portBlockStart, portBlockStart + 10). */
  portBlockStart: number
  ports: PortMapping[]
  resources: Resources
  labels: Record<string, string>
  createdAt: string
  updatedAt: string
  lastActiveAt: string
  /** The backend's own handle (container id, sandbox id, …). Opaque to core; never holds secrets. */
  backendRef: JsonObject | null
  /**
   * The backend options the create was given (`--image`, `--region`, `--from`, …; credentials in URLs dropped), so
   * `repair` recreates a lost backend the way it was made. Absent in records written before it existed.
   */
  backendOptions?: JsonObject
  /** Why the workspace is in `error`, and what to run next. */
  lastError?: { code: string; message: string; suggestion?: string | null } | null
}
