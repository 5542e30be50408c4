import { createHash } from 'node:crypto'
import { NexusError } from '@nexus/core'

/**
 * Docker's default address pools hold about 30 bridge networks; nexus gives every workspace its own, so it carves
 * them out of its own pool instead: small /26 subnets (62 addresses: a workspace and its services) of
 * `backends.docker.network_pool`, 1024 of them in the default /16.
 */
export const DEFAULT_NETWORK_POOL = '10.213.0.0/16'
export const WORKSPACE_SUBNET_PREFIX = 26

interface Cidr {
  base: number
  prefix: number
}

function parseIpv4(text: string): number | undefined {
  const parts = text.split('.').map(Number)
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined
  return (
    (((parts[0] as number) << 24) |
      ((parts[1] as number) << 16) |
      ((parts[2] as number) << 8) |
      (parts[3] as number)) >>>
    0
  )
}

export function parseCidr(text: string): Cidr | undefined {
  const [address, bits] = text.split('/')
  const base = address === undefined ? undefined : parseIpv4(address)
  const prefix = Number(bits)
  if (base === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > WORKSPACE_SUBNET_PREFIX)
    return undefined
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
  return { base: (base & mask) >>> 0, prefix }
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.')
}

function overlaps(a: Cidr, b: Cidr): boolean {
  const prefix = Math.min(a.prefix, b.prefix)
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
  return (a.base & mask) >>> 0 === (b.base & mask) >>> 0
}

export function invalidPool(pool: string): NexusError {
  return new NexusError(
    'CONFIG_INVALID',
    `backends.docker.network_pool "${pool}" is not an IPv4 CIDR between /8 and /${WORKSPACE_SUBNET_PREFIX}.`,
    {
      suggestion: `Set it to a private range your machine does not use, e.g. \`nexus config set backends.docker.network_pool ${DEFAULT_NETWORK_POOL}\`.`,
    },
  )
}

/**
 * The subnets to try for a workspace, best first: starting at a slot derived from its id (so concurrent creates
 * spread out) and skipping every subnet that overlaps one the engine already has.
 */
export function candidateSubnets(pool: string, workspaceId: string, inUse: string[]): string[] {
  const range = parseCidr(pool)
  if (!range) throw invalidPool(pool)
  const used = inUse.map(parseCidr).filter((c): c is Cidr => c !== undefined)
  const slots = 2 ** (WORKSPACE_SUBNET_PREFIX - range.prefix)
  const first = createHash('sha256').update(workspaceId).digest().readUInt32BE(0) % slots
  const size = 2 ** (32 - WORKSPACE_SUBNET_PREFIX)
  const result: string[] = []
  for (let i = 0; i < slots; i++) {
    const subnet = {
      base: (range.base + ((first + i) % slots) * size) >>> 0,
      prefix: WORKSPACE_SUBNET_PREFIX,
    }
    if (!used.some((u) => overlaps(u, subnet)))
      result.push(`${formatIpv4(subnet.base)}/${WORKSPACE_SUBNET_PREFIX}`)
  }
  return result
}
