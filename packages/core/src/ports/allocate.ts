import { createHash } from 'node:crypto'
import { NexusError } from '../errors/index.js'
import type { PortMapping } from '../workspace/index.js'
import { freshPortProbe, isPortFree } from './probe.js'
import { FIRST_EXTRA_OFFSET, PORT_BLOCK_SIZE, WELL_KNOWN_OFFSETS, type PortRange } from './ranges.js'
import type { PortRequest } from './requests.js'

export interface AllocationInput {
  workspaceName: string
  ranges: PortRange[]
  requests: PortRequest[]
  /** Port mappings already held by other workspaces in state. */
  held: PortMapping[]
  /** Block starts already held by other workspaces in state. */
  heldBlocks: number[]
  /** Defaults to {@link freshPortProbe}: bindable and not in TIME_WAIT. */
  isFree?: (port: number) => Promise<boolean>
  /**
   * Whether a port binds now, TIME_WAIT or not: for host ports the user fixed, and for the second pass when no block
   * passes `isFree`. Defaults to `isFree` when that is given, else to {@link isPortFree}.
   */
  isBindable?: (port: number) => Promise<boolean>
}

export interface Allocation {
  blockStart: number
  ports: PortMapping[]
}

/** Places each request at an offset of the block: ssh at 0, well-known names at theirs, the rest from 5 on. */
export function layoutOffsets(requests: PortRequest[]): Map<string, number> {
  const offsets = new Map<string, number>([['ssh', 0]])
  const used = new Set<number>([0])
  for (const request of requests) {
    const offset = WELL_KNOWN_OFFSETS[request.name]
    if (offset !== undefined && !used.has(offset)) {
      offsets.set(request.name, offset)
      used.add(offset)
    }
  }
  let next = FIRST_EXTRA_OFFSET
  for (const request of requests) {
    if (offsets.has(request.name) || request.hostPort !== undefined) continue
    while (used.has(next)) next++
    if (next >= PORT_BLOCK_SIZE) {
      throw new NexusError(
        'INVALID_ARGUMENT',
        `A workspace can publish at most ${PORT_BLOCK_SIZE - 1} ports besides SSH.`,
        {
          suggestion: 'Drop some `ports:`/`--port` entries or give some of them fixed host ports.',
        },
      )
    }
    offsets.set(request.name, next)
    used.add(next)
  }
  return offsets
}

function blockStarts(range: PortRange): number[] {
  const starts: number[] = []
  for (let start = range.start; start + PORT_BLOCK_SIZE - 1 <= range.end; start += PORT_BLOCK_SIZE)
    starts.push(start)
  return starts
}

function nameHash(name: string): number {
  return createHash('sha256').update(name).digest().readUInt32BE(0)
}

/**
 * Picks a block for a workspace. The starting block comes from a hash of the name, so a workspace tends to get the
 * same ports each time it is recreated; from there we walk the ranges, skipping blocks that another workspace holds
 * in state or where any port is already bound on this machine.
 */
export async function allocatePorts(input: AllocationInput): Promise<Allocation> {
  const isFree = input.isFree ?? (await freshPortProbe())
  // A host port the user fixed is theirs to choose: only whether it binds now matters, TIME_WAIT or not.
  const isBindable = input.isBindable ?? input.isFree ?? isPortFree
  const offsets = layoutOffsets(input.requests)
  const heldBlocks = new Set(input.heldBlocks)
  const heldPorts = new Set(input.held.map((p) => p.hostPort))

  const fixed: PortMapping[] = []
  for (const request of input.requests) {
    if (request.hostPort === undefined) continue
    const twin = fixed.find((mapped) => mapped.hostPort === request.hostPort)
    if (twin) {
      throw new NexusError(
        'PORT_CONFLICT',
        `Host port ${request.hostPort} is asked for twice (${twin.name} and ${request.name}).`,
        {
          suggestion: `Give one of them another host port, or drop its host part to let nexus choose: --port ${request.name}=${request.containerPort}.`,
          details: { port: request.hostPort, names: [twin.name, request.name] },
        },
      )
    }
    if (heldPorts.has(request.hostPort) || !(await isBindable(request.hostPort))) {
      throw new NexusError(
        'PORT_CONFLICT',
        `Host port ${request.hostPort} (${request.name}) is already in use.`,
        {
          suggestion: `Pick another host port, or drop it to let nexus choose: --port ${request.name}=${request.containerPort}.`,
          details: { port: request.hostPort, name: request.name },
        },
      )
    }
    fixed.push(mapping(request, request.hostPort))
  }

  // A block with a port in TIME_WAIT is passed over while there is another; when every block left has one (a
  // small `ports_range`, a busy machine), one that binds is better than refusing to create the workspace.
  const passes = isBindable === isFree ? [isFree] : [isFree, isBindable]
  for (const probe of passes) {
    const start = await firstFreeBlock(input, heldBlocks, heldPorts, probe)
    if (start === undefined) continue
    const ports: PortMapping[] = [{ name: 'ssh', containerPort: 22, hostPort: start }]
    for (const request of input.requests) {
      const offset = offsets.get(request.name)
      if (request.hostPort === undefined && offset !== undefined) ports.push(mapping(request, start + offset))
    }
    return { blockStart: start, ports: [...ports, ...fixed].sort((a, b) => a.hostPort - b.hostPort) }
  }
  throw new NexusError('PORTS_EXHAUSTED', 'Every port block in the nexus port ranges is in use.', {
    suggestion:
      'Destroy workspaces you no longer need (`nexus workspace ls`, `nexus workspace destroy <name>`), or run `nexus workspace cleanup`.',
  })
}

/** Walks the ranges from the block the name hashes to, skipping blocks held in state or not free by `probe`. */
async function firstFreeBlock(
  input: AllocationInput,
  heldBlocks: Set<number>,
  heldPorts: Set<number>,
  probe: (port: number) => Promise<boolean>,
): Promise<number | undefined> {
  for (const range of input.ranges) {
    const starts = blockStarts(range)
    if (starts.length === 0) continue
    const first = nameHash(input.workspaceName) % starts.length
    for (let i = 0; i < starts.length; i++) {
      const start = starts[(first + i) % starts.length] as number
      if (heldBlocks.has(start)) continue
      if (await blockIsFree(start, heldPorts, probe)) return start
    }
  }
  return undefined
}

async function blockIsFree(
  start: number,
  heldPorts: Set<number>,
  isFree: (port: number) => Promise<boolean>,
): Promise<boolean> {
  for (let port = start; port < start + PORT_BLOCK_SIZE; port++) {
    if (heldPorts.has(port)) return false
  }
  const probes = await Promise.all(Array.from({ length: PORT_BLOCK_SIZE }, (_, i) => isFree(start + i)))
  return probes.every(Boolean)
}

function mapping(request: PortRequest, hostPort: number): PortMapping {
  return {
    name: request.name,
    containerPort: request.containerPort,
    hostPort,
    ...(request.service ? { service: request.service } : {}),
  }
}
