/** Each workspace gets a block of 10 consecutive host ports; an offset within it names its use. */
export const PORT_BLOCK_SIZE = 10
export const WELL_KNOWN_OFFSETS: Readonly<Record<string, number>> = {
  ssh: 0,
  web: 1,
  api: 2,
  db: 3,
  cache: 4,
}
export const FIRST_EXTRA_OFFSET = 5
export const LOWEST_HOST_PORT = 1024

export interface PortRange {
  start: number
  /** inclusive */
  end: number
}

export const PORT_RANGES = {
  local: { start: 32800, end: 34999 },
  remote: { start: 35000, end: 39999 },
  fallback: { start: 40000, end: 65535 },
} as const satisfies Record<string, PortRange>

/** Backends whose ports are published on this machine use the local range; remote ones forward into theirs. */
const LOCAL_BACKENDS = new Set(['docker', 'mock'])

/** Whether a backend publishes the workspace's ports on this machine (rather than reserving them for forwards). */
export function publishesPortsLocally(backend: string): boolean {
  return LOCAL_BACKENDS.has(backend)
}

export function rangesForBackend(backend: string, override?: PortRange): PortRange[] {
  if (override) return [override]
  const primary = publishesPortsLocally(backend) ? PORT_RANGES.local : PORT_RANGES.remote
  return [primary, PORT_RANGES.fallback]
}
