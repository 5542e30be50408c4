import { Writable } from 'node:stream'

/** A Writable that keeps everything written to it, for asserting on a command's output. */
export class OutputCollector extends Writable {
  private readonly chunks: Buffer[] = []

  override _write(
    chunk: Buffer | string,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
    callback()
  }

  get buffer(): Buffer {
    return Buffer.concat(this.chunks)
  }

  get text(): string {
    return this.buffer.toString('utf8')
  }
}
