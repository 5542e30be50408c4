import { readFile } from 'node:fs/promises'
import type { PortRange } from '../ports/index.js'
import type { DoctorCheck } from './types.js'

/** What the Linux kernel hands out as source ports for outgoing connections, and what it keeps out of that pool. */
export interface KernelPortSettings {
  ephemeral: PortRange
  reserved: PortRange[]
}

type ReadText = (path: string) => Promise<string>
const readText: ReadText = (path) => readFile(path, 'utf8')

/** Reads /proc/sys/net/ipv4; undefined where there is no such file (not Linux, or a sandbox hiding it). */
export async function readKernelPortSettings(
  read: ReadText = readText,
): Promise<KernelPortSettings | undefined> {
  const ephemeral = await read('/proc/sys/net/ipv4/ip_local_port_range').catch(() => undefined)
  if (ephemeral === undefined) return undefined
  const [start, end] = ephemeral.trim().split(/\s+/).map(Number)
  if (!Number.isInteger(start) || !Number.isInteger(end)) return undefined
  const reserved = await read('/proc/sys/net/ipv4/ip_local_reserved_ports').catch(() => '')
  return { ephemeral: { start: start as number, end: end as number }, reserved: parsePortList(reserved) }
}

/** `32800-34999,40000` → ranges; the kernel's own format for ip_local_reserved_ports. */
export function parsePortList(text: string): PortRange[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .flatMap((item) => {
      const [start, end = start] = item.split('-').map(Number)
      return Number.isInteger(start) && Number.isInteger(end)
        ? [{ start: start as number, end: end as number }]
        : []
    })
}

/** How many ports of `range` the kernel may pick as source ports: in its ephemeral range and not reserved. */
function exposedPorts(range: PortRange, kernel: KernelPortSettings): number {
  let count = 0
  const from = Math.max(range.start, kernel.ephemeral.start)
  const to = Math.min(range.end, kernel.ephemeral.end)
  for (let port = from; port <= to; port += 1) {
    if (!kernel.reserved.some((r) => port >= r.start && port <= r.end)) count += 1
  }
  return count
}

/**
 * Workspace ports published on this machine should not sit in the kernel's ephemeral range, where every outgoing
 * connection may take one as its source port for a while, and the workspace's next start then has to move to
 * other ports. Reserving the range in the kernel removes the overlap without moving anything.
 */
export function checkEphemeralOverlap(range: PortRange, kernel: KernelPortSettings | undefined): DoctorCheck {
  const span = `${range.start}-${range.end}`
  if (!kernel) {
    return {
      id: 'ports:ephemeral',
      status: 'ok',
      message: `Not checked: the kernel's port settings are not readable here.`,
    }
  }
  const exposed = exposedPorts(range, kernel)
  const ephemeral = `${kernel.ephemeral.start}-${kernel.ephemeral.end}`
  if (exposed === 0) {
    return {
      id: 'ports:ephemeral',
      status: 'ok',
      message: `Workspace ports ${span} are safe from outgoing connections (kernel ephemeral range ${ephemeral}).`,
    }
  }
  return {
    id: 'ports:ephemeral',
    status: 'warn',
    message: `${exposed} workspace ports in ${span} lie in the kernel's ephemeral range ${ephemeral}, so an outgoing connection can hold one and move a workspace to other ports on its next start.`,
    fix: `Reserve them: \`sudo sysctl -w net.ipv4.ip_local_reserved_ports=${span}\` (and a line in /etc/sysctl.d/ to keep it), or set \`ports_range\` outside ${ephemeral}.`,
  }
}
