import type { Readable, Writable } from 'node:stream'
import type { ReadStream, WriteStream } from 'node:tty'
import type { ClientChannel, PseudoTtyOptions } from 'ssh2'

const DEFAULT_TERM = 'xterm-256color'
const DEFAULT_ROWS = 24
const DEFAULT_COLUMNS = 80

export function isTtyInput(stream: Readable | undefined): stream is ReadStream {
  return stream !== undefined && (stream as Partial<ReadStream>).isTTY === true
}

export function isTtyOutput(stream: Writable): stream is WriteStream {
  return (stream as Partial<WriteStream>).isTTY === true
}

/** The remote pty mirrors the local terminal's size and type, so full-screen programs draw correctly. */
export function ptyOptionsFor(stdout: Writable, term: string | undefined): PseudoTtyOptions {
  const size = isTtyOutput(stdout) ? { rows: stdout.rows, cols: stdout.columns } : {}
  return {
    term: term || DEFAULT_TERM,
    rows: size.rows || DEFAULT_ROWS,
    cols: size.cols || DEFAULT_COLUMNS,
    width: 0,
    height: 0,
  }
}

/**
 * Puts a local terminal in raw mode (keys go to the remote pty unprocessed: ^C reaches the remote program instead
 * of killing nexus) and forwards window resizes. Returns the function that puts everything back.
 */
export function attachTerminal(
  channel: ClientChannel,
  stdin: Readable | undefined,
  stdout: Writable,
): () => void {
  const restorers: Array<() => void> = []
  if (isTtyInput(stdin)) {
    const wasRaw = stdin.isRaw
    stdin.setRawMode(true)
    restorers.push(() => stdin.setRawMode(wasRaw))
  }
  if (isTtyOutput(stdout)) {
    const onResize = (): void => channel.setWindow(stdout.rows, stdout.columns, 0, 0)
    stdout.on('resize', onResize)
    restorers.push(() => stdout.off('resize', onResize))
  }
  let restored = false
  return () => {
    if (restored) return
    restored = true
    for (const restore of restorers.reverse()) restore()
  }
}
