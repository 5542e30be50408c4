import type { Reporter } from '@nexus/core'

/** A reporter that keeps what it was told, to assert on progress messages. */
export function recordingReporter(): Reporter & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    step(title) {
      lines.push(`step: ${title}`)
      return (outcome = 'done') => {
        lines.push(`${outcome}: ${title}`)
      }
    },
    info: (message) => lines.push(`info: ${message}`),
    warn: (message) => lines.push(`warn: ${message}`),
    debug: (message) => lines.push(`debug: ${message}`),
  }
}
