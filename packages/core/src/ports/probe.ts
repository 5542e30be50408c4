import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'

/**
 * True when nothing on this machine holds the port: we bind it on 127.0.0.1 (where nexus publishes) and let it go.
 * On Linux this also fails when another process holds 0.0.0.0:<port>. A port in TIME_WAIT binds fine here because
 * Node sets SO_REUSEADDR, which matches what Docker's proxy (Go's net.Listen) will be able to do with it: that is
 * the right answer for a workspace re-taking its own ports at start, whose last connections may still linger.
 */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(false))
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true))
    })
  })
}

const TIME_WAIT = '06'

/**
 * Local ports with a TCP socket in TIME_WAIT, from /proc/net/tcp{,6} (empty where there is no /proc).
 *
 * A bind with SO_REUSEADDR succeeds on such a port, so `isPortFree` cannot see them. For a NEW allocation we still
 * treat them as taken: the port was in use moments ago, so late packets and clients still retrying the old
 * service arrive there, and a server that binds without SO_REUSEADDR (many dev servers, some remote backends'
 * port forwarders) fails with EADDRINUSE for up to a minute. There is usually another block to move on to; when
 * there is none, the allocator falls back to a block that binds (see allocatePorts).
 */
export async function portsInTimeWait(): Promise<Set<number>> {
  const ports = new Set<number>()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '')
    for (const line of text.split('\n').slice(1)) {
      // `  sl  local_address rem_address   st …`: local_address is HEXIP:HEXPORT, st the state in hex.
      const [, local, , state] = line.trim().split(/\s+/)
      if (state !== TIME_WAIT || !local) continue
      const port = Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16)
      if (Number.isInteger(port)) ports.add(port)
    }
  }
  return ports
}

/** The probe new allocations use: bindable now, and not lingering in TIME_WAIT (see {@link portsInTimeWait}). */
export async function freshPortProbe(): Promise<(port: number) => Promise<boolean>> {
  const lingering = await portsInTimeWait()
  return async (port) => !lingering.has(port) && (await isPortFree(port))
}
