import { readFile } from 'node:fs/promises'
import { connect, createServer, type Server } from 'node:net'
import { describe, expect, it } from 'vitest'
import { freshPortProbe, isPortFree, portsInTimeWait } from './probe.js'

const PORT = 22881
const hasProc = await readFile('/proc/net/tcp', 'utf8').then(
  () => true,
  () => false,
)

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server))
  })
}

describe('port probes', () => {
  it('sees a port held by a listener as taken, and a released one as free', async () => {
    const server = await listen(PORT + 1)
    expect(await isPortFree(PORT + 1)).toBe(false)
    expect(await (await freshPortProbe())(PORT + 1)).toBe(false)
    await new Promise<void>((resolve) => server.close(() => resolve()))
    expect(await isPortFree(PORT + 1)).toBe(true)
  })

  it.skipIf(!hasProc)('treats a port in TIME_WAIT as taken for new allocations, but bindable', async () => {
    const server = await listen(PORT)
    const closed = new Promise<void>((resolve) =>
      server.once('connection', (socket) => {
        // The server closes first, so its side (local port PORT) is the one left in TIME_WAIT.
        socket.end()
        socket.once('close', () => resolve())
      }),
    )
    const client = connect({ port: PORT, host: '127.0.0.1' })
    client.on('data', () => undefined)
    client.once('end', () => client.end())
    await closed
    await new Promise<void>((resolve) => server.close(() => resolve()))

    expect(await portsInTimeWait()).toContain(PORT)
    expect(await isPortFree(PORT)).toBe(true)
    expect(await (await freshPortProbe())(PORT)).toBe(false)
  })
})
