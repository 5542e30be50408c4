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

/** The local terminal as a backend's native exec needs it for a remote pty: its size, its resizes, raw keys. */
export interface LocalTerminal {
  terminalSize?: { cols: number; rows: number }
  onResize?: (listener: (size: { cols: number; rows: number }) => void) => () => void
  /** Puts the terminal back as it was. */
  restore(): void
}

/**
 * For a pty the backend opens itself (native exec rather than SSH): raw keys on our stdin, and our window's size
 * and its changes to hand to the backend. Without a terminal there is nothing to attach.
 */
export function attachLocalTerminal(stdin: Readable | undefined, stdout: Writable): LocalTerminal {
  const restorers: Array<() => void> = []
  if (isTtyInput(stdin)) {
    const wasRaw = stdin.isRaw
    stdin.setRawMode(true)
    restorers.push(() => stdin.setRawMode(wasRaw))
  }
  const restore = (): void => {
    for (const undo of restorers.splice(0).reverse()) undo()
  }
  if (!isTtyOutput(stdout)) return { restore }
  const size = (): { cols: number; rows: number } => ({
    cols: stdout.columns || DEFAULT_COLUMNS,
    rows: stdout.rows || DEFAULT_ROWS,
  })
  return {
    terminalSize: size(),
    onResize(listener) {
      const onResize = (): void => listener(size())
      stdout.on('resize', onResize)
      return () => stdout.off('resize', onResize)
    },
    restore,
  }
}
