import { createConnection } from 'node:net'

/**
 * Connects and reads the server's greeting. Docker's port proxy accepts connections before sshd listens (then hangs
 * up), so a successful connect proves nothing: only the `SSH-2.0` banner does.
 */
export function readSshBanner(host: string, port: number, timeoutMs = 1000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port })
    let received = ''
    const finish = (banner: string | undefined) => {
      socket.destroy()
      resolve(banner)
    }
    socket.setTimeout(timeoutMs, () => finish(undefined))
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1')
      const line = received.split('\r\n')[0] ?? ''
      if (received.includes('\n')) finish(line.startsWith('SSH-') ? line.trim() : undefined)
    })
    socket.on('error', () => finish(undefined))
    socket.on('close', () => finish(received.startsWith('SSH-') ? received.trim() : undefined))
  })
}
