import type { Writable } from 'node:stream'
import type { Reporter } from '../provider/index.js'

export const silentReporter: Reporter = {
  step: () => () => undefined,
  info: () => undefined,
  warn: () => undefined,
  debug: () => undefined,
}

export interface StreamReporterOptions {
  stream: Writable & { isTTY?: boolean }
  /** Progress lines only on a terminal: pipes and CI logs get warnings alone. */
  progress?: boolean
  debug?: boolean
}

const SYMBOLS = { done: '✔', failed: '✖', skipped: '–' } as const

/** Progress on stderr: one line per slow step, rewritten in place when it ends; warnings always shown. */
export function streamReporter(options: StreamReporterOptions): Reporter {
  const { stream } = options
  const progress = options.progress ?? stream.isTTY === true
  return {
    step(title) {
      const started = Date.now()
      if (progress) stream.write(`… ${title}`)
      return (outcome = 'done', note) => {
        if (!progress) return
        const ms = Date.now() - started
        stream.write(`\r\x1b[2K${SYMBOLS[outcome]} ${title}${note ? ` — ${note}` : ''} (${ms} ms)\n`)
      }
    },
    info(message) {
      if (progress) stream.write(`${message}\n`)
    },
    warn(message) {
      stream.write(`Warning: ${message}\n`)
    },
    debug(message) {
      if (options.debug) stream.write(`[debug] ${message}\n`)
    },
  }
}
