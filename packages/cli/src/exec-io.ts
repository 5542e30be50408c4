import { Writable, type Readable } from 'node:stream'

/** A Writable that keeps what is written, for `--json`, where output is returned instead of streamed. */
export class TextCollector extends Writable {
  private readonly chunks: Buffer[] = []

  override _write(
    chunk: Buffer | string,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
    callback()
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8')
  }
}

export interface CommandIo {
  stdin?: Readable
  stdout: Writable
  stderr: Writable
  tty: boolean
}

/** What `--json` prints for a command run in a workspace. */
export interface CapturedRun {
  exitCode: number
  stdout: string
  stderr: string
}

/**
 * The streams a command in a workspace gets. Text mode streams through ours, with a pty when we are on a terminal
 * (or `--tty`); stdin is passed whenever it is a pipe or file, or a terminal driving a pty. Under --json, output is
 * captured, and a terminal's stdin is not passed: nothing interactive can work when the output is not shown.
 */
export function commandIo(
  json: boolean,
  ttyFlag: boolean | undefined,
): CommandIo & { captured?: { stdout: TextCollector; stderr: TextCollector } } {
  const stdinIsTty = process.stdin.isTTY === true
  if (json) {
    const captured = { stdout: new TextCollector(), stderr: new TextCollector() }
    return { ...(stdinIsTty ? {} : { stdin: process.stdin }), ...captured, tty: false, captured }
  }
  const tty = ttyFlag ?? (stdinIsTty && process.stdout.isTTY === true)
  const passStdin = !stdinIsTty || tty
  return {
    ...(passStdin ? { stdin: process.stdin } : {}),
    stdout: process.stdout,
    stderr: process.stderr,
    tty,
  }
}

/** Stops reading our stdin once the remote command is done, so an open pipe or terminal does not keep nexus alive. */
export function releaseStdin(io: CommandIo): void {
  if (!io.stdin) return
  io.stdin.unpipe()
  io.stdin.pause()
}
