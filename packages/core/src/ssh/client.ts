import { constants as osConstants } from 'node:os'
import type { Readable, Writable } from 'node:stream'
import type { ClientChannel, Client as SshClient } from 'ssh2'
import { NexusError, describeError } from '../errors/index.js'
import type { ExecRequest, ExecResult, SshEndpoint } from '../provider/index.js'
import { type SshConnectOptions, connectError, connectSsh } from './connect.js'
import { remoteCommandLine } from './quote.js'
import { attachTerminal, isTtyInput, ptyOptionsFor } from './terminal.js'

/** What ssh(1) exits with when the connection itself fails: the caller cannot tell it from the command's status. */
const UNKNOWN_SIGNAL_EXIT_CODE = 255

export type SshExecRequest = ExecRequest & SshConnectOptions & { term?: string }

export interface SshShellRequest extends SshConnectOptions {
  stdin?: Readable
  stdout: Writable
  stderr: Writable
  /** Allocate a pty; defaults to whether stdin is a terminal, like ssh(1). */
  tty?: boolean
  /** `$TERM` for the remote pty; defaults to the local one. */
  term?: string
}

interface SessionIo {
  stdin?: Readable | undefined
  stdout: Writable
  stderr: Writable
  tty: boolean
}

type OpenChannel = (callback: (error: Error | undefined, channel: ClientChannel) => void) => void

/**
 * Runs `command` (an argv, quoted for the remote POSIX shell) over SSH and returns its exit status; a command
 * killed by a signal reports 128 + the signal's number, as shells do.
 */
export async function sshExec(endpoint: SshEndpoint, request: SshExecRequest): Promise<ExecResult> {
  const commandLine = remoteCommandLine(request)
  const tty = request.tty === true
  const client = await connectSsh(endpoint, request)
  try {
    const open: OpenChannel = (callback) =>
      client.exec(commandLine, tty ? { pty: ptyOptionsFor(request.stdout, termOf(request)) } : {}, callback)
    return await runSession(client, open, { ...request, tty }, endpoint, request)
  } finally {
    client.end()
  }
}

/** An interactive login shell, wired to the given streams until the user leaves it; returns its exit status. */
export async function sshShell(endpoint: SshEndpoint, request: SshShellRequest): Promise<ExecResult> {
  const tty = request.tty ?? isTtyInput(request.stdin)
  const client = await connectSsh(endpoint, request)
  try {
    const open: OpenChannel = (callback) =>
      client.shell(tty ? ptyOptionsFor(request.stdout, termOf(request)) : false, callback)
    return await runSession(client, open, { ...request, tty }, endpoint, request)
  } finally {
    client.end()
  }
}

function termOf(request: { term?: string }): string | undefined {
  return request.term ?? process.env.TERM
}

function runSession(
  client: SshClient,
  open: OpenChannel,
  io: SessionIo,
  endpoint: SshEndpoint,
  options: SshConnectOptions,
): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    let cleanup = (): void => {}
    let settled = false
    let exitCode: number | undefined
    const finish = (outcome: ExecResult | NexusError): void => {
      if (settled) return
      settled = true
      cleanup()
      if (outcome instanceof NexusError) reject(outcome)
      else resolve(outcome)
    }
    const lost = (cause: Error & { level?: string; code?: string }): void =>
      finish(connectionLost(endpoint, options, cause))
    // Once the status is in, the channel's own close finishes the session even if the connection goes first.
    const onClientClose = (): void => {
      if (exitCode === undefined) lost(new Error('the connection closed'))
    }
    client.on('error', lost)
    client.once('close', onClientClose)

    open((error, channel) => {
      if (error) {
        finish(
          new NexusError(
            'SSH_ERROR',
            `SSH at ${endpoint.host}:${endpoint.port} refused to start a session: ${describeError(error)}.`,
            {
              suggestion: `Check the workspace's sshd with \`nexus workspace info ${options.workspaceName ?? '<name>'}\`.`,
              cause: error,
            },
          ),
        )
        return
      }
      // Writing stdin to a command that already exited fails on the channel; the exit status still decides.
      channel.on('error', () => {})
      channel.on('exit', (code: number | null, signal?: string) => {
        exitCode = typeof code === 'number' ? code : signalExitCode(signal)
      })
      channel.pipe(io.stdout, { end: false })
      channel.stderr.pipe(io.stderr, { end: false })
      const releaseStdin = connectStdin(channel, io)
      const restoreTerminal = io.tty ? attachTerminal(channel, io.stdin, io.stdout) : () => {}
      cleanup = () => {
        restoreTerminal()
        releaseStdin()
        client.off('error', lost)
        client.off('close', onClientClose)
      }
      channel.once('close', () => {
        void whenEnded(channel.stderr).then(() => {
          if (exitCode === undefined) lost(new Error('the command ended without reporting an exit status'))
          else finish({ exitCode })
        })
      })
    })
  })
}

/**
 * Local stdin feeds the remote command and its end becomes EOF there. Without a stdin the remote side gets EOF at
 * once (like `ssh -n`), so a command that reads stdin cannot hang waiting for input that will never come.
 */
function connectStdin(channel: ClientChannel, io: SessionIo): () => void {
  const stdin = io.stdin
  if (!stdin) {
    // A pty has no EOF to send: closing its input would end an interactive program before it starts.
    if (!io.tty) channel.end()
    return () => {}
  }
  const wasFlowing = stdin.readableFlowing === true
  stdin.pipe(channel)
  return () => {
    stdin.unpipe(channel)
    // Left flowing, a terminal's stdin keeps the process alive after the session.
    if (!wasFlowing) stdin.pause()
  }
}

function whenEnded(stream: Readable): Promise<void> {
  if (stream.readableEnded || stream.destroyed) return Promise.resolve()
  return new Promise((resolve) => {
    stream.once('end', resolve)
    stream.once('close', resolve)
  })
}

function signalExitCode(signal: string | undefined): number {
  const number = signal ? osConstants.signals[signal as keyof typeof osConstants.signals] : undefined
  return typeof number === 'number' ? 128 + number : UNKNOWN_SIGNAL_EXIT_CODE
}

function connectionLost(
  endpoint: SshEndpoint,
  options: SshConnectOptions,
  cause: Error & { level?: string; code?: string },
): NexusError {
  const base = connectError(endpoint, options, cause)
  return new NexusError(
    'SSH_ERROR',
    `The SSH connection to ${endpoint.host}:${endpoint.port} was lost: ${describeError(cause)}.`,
    {
      suggestion: base.suggestion,
      retryable: true,
      cause,
      details: base.details,
    },
  )
}
