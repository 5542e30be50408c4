import { spawn } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import ssh2 from 'ssh2'
import type { AuthenticationType, ServerChannel } from 'ssh2'
import type { FakeDaytonaState } from './state.js'

/**
 * Daytona's SSH gateway, in-process: a real SSH server (ssh2) that lets in a user whose name is a live access
 * token of a started sandbox (the gateway authenticates by token, not key; see `FakeDaytonaState.sshAuth`), and runs
 * `exec` and `shell` requests for real with `sh` in that sandbox's home directory.
 */
export async function startFakeSshGateway(
  state: FakeDaytonaState,
): Promise<{ port: number; close(): Promise<void> }> {
  const hostKey = ssh2.utils.generateKeyPairSync('ed25519').private
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    let sandboxId: string | undefined
    client.on('authentication', (ctx) => {
      const grant = state.validGrant(ctx.username)
      if (!grant || state.sshAuth === 'refuse') return ctx.reject([])
      const admitted: AuthenticationType[] = state.sshAuth === 'none-only' ? ['none'] : ['none', 'publickey']
      if (admitted.includes(ctx.method)) {
        sandboxId = grant.sandboxId
        return ctx.accept()
      }
      ctx.reject(state.sshAuth === 'none-only' ? [] : admitted)
    })
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept()
        const env: Record<string, string> = {}
        session.on('pty', (acceptPty) => acceptPty?.())
        session.on('env', (acceptEnv, _reject, info) => {
          env[info.key] = info.val
          acceptEnv?.()
        })
        session.on('exec', (acceptExec, _reject, info) => run(acceptExec(), ['-c', info.command]))
        session.on('shell', (acceptShell) => run(acceptShell(), []))
        const run = (channel: ServerChannel, args: string[]): void => {
          const sandbox = sandboxId ? state.sandboxes.get(sandboxId) : undefined
          if (!sandbox) {
            channel.stderr.write('sandbox is gone\n')
            channel.exit(255)
            channel.end()
            return
          }
          const home = state.homeOf(sandbox)
          const child = spawn('sh', args, {
            cwd: home,
            env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...sandbox.env, ...env },
            stdio: ['pipe', 'pipe', 'pipe'],
          })
          channel.pipe(child.stdin)
          child.stdout.pipe(channel, { end: false })
          child.stderr.pipe(channel.stderr, { end: false })
          child.stdin.on('error', () => undefined)
          child.on('close', (code, signal) => {
            if (signal) channel.exit(signal.replace(/^SIG/, ''), false, '')
            else channel.exit(code ?? 0)
            channel.end()
          })
        }
      })
    })
    client.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
