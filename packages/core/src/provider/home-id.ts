import { createHash } from 'node:crypto'
import { hostname } from 'node:os'

/**
 * Which nexus installation (this machine's NEXUS_HOME) made a remote resource. A cloud account or organisation is
 * shared by machines and people, so a backend labels what it makes with this and claims only resources carrying
 * its own: `list()` (doctor's orphan check) and cleanup's leftovers never take another home's. A hash, so no local
 * path or host name reaches the remote side.
 */
export function nexusHomeId(nexusHome: string): string {
  return createHash('sha256').update(`${hostname()}:${nexusHome}`).digest('hex').slice(0, 16)
}
