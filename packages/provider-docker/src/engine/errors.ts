import { NexusError, isNexusError } from '@nexus/core'

/** The fields docker-modem puts on the errors it raises (HTTP status and the engine's JSON body). */
interface ModemError {
  cause?: unknown
  message?: unknown
  statusCode?: unknown
  code?: unknown
  json?: unknown
}

const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
])
const TRANSIENT_SOCKET_ERRORS = new Set(['ECONNRESET', 'EPIPE'])
/** 500s the engine uses for mistakes in the request rather than for its own trouble: retrying cannot help. */
const USER_ERROR_500 =
  /conflict|already|in use|not found|no such|invalid|permission denied|not running|is paused|exceeds|range of/i

function fields(error: unknown): ModemError {
  return typeof error === 'object' && error !== null ? (error as ModemError) : {}
}

export function statusCodeOf(error: unknown): number | undefined {
  const status = fields(error).statusCode
  return typeof status === 'number' ? status : undefined
}

/** The HTTP status of an engine error, also when it was wrapped into a NexusError (as its cause). */
export function engineStatusOf(error: unknown): number | undefined {
  return statusCodeOf(error) ?? statusCodeOf(fields(error).cause)
}

function errnoOf(error: unknown): string | undefined {
  const code = fields(error).code
  return typeof code === 'string' ? code : undefined
}

/** The engine's own words: the JSON body's message when there is one, trimmed of docker-modem's prefix. */
export function engineMessage(error: unknown): string {
  const { json, message } = fields(error)
  if (
    typeof json === 'object' &&
    json !== null &&
    typeof (json as { message?: unknown }).message === 'string'
  ) {
    return (json as { message: string }).message.trim()
  }
  if (typeof json === 'string' && json.trim()) return json.trim()
  if (typeof message === 'string') return message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim()
  return String(error)
}

export function isNotFound(error: unknown): boolean {
  return statusCodeOf(error) === 404
}

export function isNotModified(error: unknown): boolean {
  return statusCodeOf(error) === 304
}

export function isConnectionFailure(error: unknown): boolean {
  const errno = errnoOf(error)
  return errno !== undefined && CONNECTION_FAILURES.has(errno)
}

/** Worth another try: a dropped connection, the engine's own 5xx trouble, or an operation already in progress. */
export function isTransientEngineError(error: unknown): boolean {
  if (isNexusError(error)) return false
  const errno = errnoOf(error)
  if (errno && TRANSIENT_SOCKET_ERRORS.has(errno)) return true
  const message = engineMessage(error)
  if (/socket hang up/i.test(message)) return true
  const status = statusCodeOf(error)
  if (status === undefined) return false
  if (status === 409) return /is already in progress/i.test(message)
  if (status === 500) return !USER_ERROR_500.test(message)
  return status > 500
}

/**
 * Turns anything the engine (or the socket to it) threw into a NexusError saying what nexus was doing. Errors that
 * already are NexusErrors pass through.
 */
export function toNexusError(error: unknown, doing: string, location: string): NexusError | Error {
  if (isNexusError(error)) return error as NexusError
  const errno = errnoOf(error)
  if (errno === 'EACCES' || errno === 'EPERM') {
    return new NexusError('PERMISSION_DENIED', `Permission denied on the Docker engine at ${location}.`, {
      suggestion:
        'Add your user to the docker group (`sudo usermod -aG docker $USER`, then log in again), or set DOCKER_HOST.',
      cause: error,
    })
  }
  if (isConnectionFailure(error)) return engineUnavailable(location, error)
  const message = engineMessage(error)
  if (/port is already allocated|address already in use/i.test(message)) {
    return new NexusError('PORT_CONFLICT', `Docker could not ${doing}: ${message}.`, {
      suggestion:
        'Another program holds one of the workspace ports; free it or run `nexus workspace start` again to move ports.',
      cause: error,
    })
  }
  return new NexusError('BACKEND_ERROR', `Docker could not ${doing}: ${message}.`, {
    suggestion: 'Run `nexus doctor`, or retry with --debug for details.',
    cause: error,
    details: { statusCode: statusCodeOf(error) ?? null },
  })
}

export function engineUnavailable(location: string, cause?: unknown): NexusError {
  return new NexusError('BACKEND_UNAVAILABLE', `The Docker engine at ${location} does not answer.`, {
    suggestion: 'Start Docker (e.g. `dockerd`, or Docker Desktop), then run `nexus doctor`.',
    cause,
    details: { location },
  })
}
