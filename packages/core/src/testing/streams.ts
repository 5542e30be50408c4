import { Writable } from 'node:stream'

export interface CapturedStream {
  /** Pass this as `stdout`/`stderr`; it never ends on its own, like a terminal. */
  stream: Writable
  text(): string
}

/** A writable that keeps everything written to it, for asserting on a command's output. */
export function captureStream(): CapturedStream {
  const chunks: Buffer[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, encoding, callback) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk)
      callback()
    },
  })
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}
