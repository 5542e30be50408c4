import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { readSshBanner } from './ssh-ready.js'

/** A real TCP server on a free port that greets (or not) like the thing being imitated. */
async function listen(
  onConnection: (socket: import('node:net').Socket) => void,
): Promise<{ server: Server; port: number }> {
  const server = createServer(onConnection)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (typeof address !== 'object' || address === null) throw new Error('no port')
  return { server, port: address.port }
}

describe('the sshd banner probe', () => {
  const servers: Server[] = []
  afterEach(() => {
    for (const server of servers.splice(0)) server.close()
  })

  it('reads the SSH banner', async () => {
    const { server, port } = await listen((socket) => socket.write('SSH-2.0-OpenSSH_9.2p1 Debian\r\n'))
    servers.push(server)
    expect(await readSshBanner('127.0.0.1', port)).toBe('SSH-2.0-OpenSSH_9.2p1 Debian')
  })

  it("does not mistake Docker's port proxy (accept, then hang up) for sshd", async () => {
    const { server, port } = await listen((socket) => socket.end())
    servers.push(server)
    expect(await readSshBanner('127.0.0.1', port)).toBeUndefined()
  })
})
