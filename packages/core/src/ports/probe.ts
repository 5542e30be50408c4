import { createServer } from 'node:net'

/**
 * True when nothing on this machine holds the port: we bind it on 127.0.0.1 (where nexus publishes) and let it go.
 * On Linux this also fails when another process holds 0.0.0.0:<port>. A port in TIME_WAIT binds fine here because
 * Node sets SO_REUSEADDR, which matches what Docker will be able to do with it.
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
