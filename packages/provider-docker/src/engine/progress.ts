import type { ProgressEvent } from './engine.js'

interface ProgressLine {
  stream?: string
  status?: string
  progress?: string
  id?: string
  error?: string
  errorDetail?: { message?: string }
  aux?: { ID?: string }
}

export interface ProgressOutcome {
  /** The image id the build reported (`aux.ID`, or "Successfully built <id>"). */
  imageId: string | undefined
}

/** Thrown when the engine reports a failure inside a build or pull stream (the HTTP status was 200). */
export class StreamedEngineError extends Error {
  override readonly name = 'StreamedEngineError'
}

/**
 * Reads a build or pull response: newline-delimited JSON objects. Failures arrive as `{error}` objects inside a
 * successful HTTP response, so they have to be picked out of the stream.
 */
export function followProgress(
  stream: NodeJS.ReadableStream,
  onProgress?: (event: ProgressEvent) => void,
): Promise<ProgressOutcome> {
  return new Promise((resolve, reject) => {
    let pending = ''
    let failure: string | undefined
    let imageId: string | undefined
    const handle = (raw: string) => {
      if (!raw.trim()) return
      let line: ProgressLine
      try {
        line = JSON.parse(raw) as ProgressLine
      } catch {
        onProgress?.({ text: raw.trim() })
        return
      }
      if (line.error || line.errorDetail?.message) {
        failure = (line.errorDetail?.message ?? line.error ?? '').trim()
        return
      }
      if (line.aux?.ID) imageId = line.aux.ID
      const built = line.stream?.match(/^Successfully built ([0-9a-f]+)/)
      if (built && !imageId) imageId = built[1]
      const text = (line.stream ?? [line.id, line.status, line.progress].filter(Boolean).join(' ')).trim()
      if (text) onProgress?.({ text })
    }
    stream.on('data', (chunk: Buffer | string) => {
      pending += chunk.toString()
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) handle(line)
    })
    stream.on('error', reject)
    stream.on('end', () => {
      handle(pending)
      if (failure !== undefined) reject(new StreamedEngineError(failure))
      else resolve({ imageId })
    })
  })
}
