import { ERROR_CODES, type ErrorCode } from './codes.js'

export interface NexusErrorOptions {
  /** The next thing the user can do, ideally a command to run. */
  suggestion?: string
  cause?: unknown
  /** Overrides the code's default exit status. */
  exitCode?: number
  retryable?: boolean
  /** Structured facts for `--json` output and for callers that react to the error. */
  details?: Record<string, unknown>
}

/**
 * A failure the user can act on: a code, one sentence of what happened, one of what to do next.
 * Anything thrown that is not a NexusError is a bug in nexus (or a plugin) and is reported as such.
 *
 * Plugins carry their own copy of @nexus/core, so never test with `instanceof`: use {@link isNexusError}.
 */
export class NexusError extends Error {
  override readonly name = 'NexusError'
  readonly code: ErrorCode
  readonly suggestion: string | undefined
  readonly exitCode: number
  readonly retryable: boolean
  readonly details: Record<string, unknown> | undefined

  constructor(code: ErrorCode, message: string, options: NexusErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.suggestion = options.suggestion
    this.exitCode = options.exitCode ?? ERROR_CODES[code].exitCode
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable
    this.details = options.details
  }

  toJSON(): NexusErrorJson {
    return {
      code: this.code,
      message: this.message,
      suggestion: this.suggestion ?? null,
      ...(this.details ? { details: this.details } : {}),
    }
  }
}

export interface NexusErrorJson {
  code: string
  message: string
  suggestion: string | null
  details?: Record<string, unknown>
}

/** The shape a NexusError has, from whichever copy of @nexus/core made it. */
export interface NexusErrorLike {
  name: 'NexusError'
  code: string
  message: string
  suggestion?: string | undefined
  exitCode: number
  retryable?: boolean
  details?: Record<string, unknown> | undefined
}

export function isNexusError(value: unknown): value is NexusErrorLike {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Record<string, unknown>
  return (
    candidate.name === 'NexusError' &&
    typeof candidate.code === 'string' &&
    typeof candidate.message === 'string' &&
    typeof candidate.exitCode === 'number'
  )
}

export function hasErrorCode(value: unknown, code: ErrorCode): boolean {
  return isNexusError(value) && value.code === code
}

/** A short, single-line description of any thrown value, for wrapping causes into messages. */
export function describeError(value: unknown): string {
  if (value instanceof Error) return value.message.split('\n')[0] ?? value.name
  return String(value)
}
