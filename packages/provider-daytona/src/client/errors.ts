import { NexusError, isNexusError, withRetry, type Clock } from '@nexus/core'

/** What an SDK failure looks like, read by shape: the SDK's classes are never imported eagerly. */
interface SdkFailure {
  name: string
  message: string
  statusCode: number | undefined
  code: string | undefined
}

function failureOf(error: unknown): SdkFailure {
  const record = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>
  const cause = record.cause as Record<string, unknown> | undefined
  return {
    name: typeof record.name === 'string' ? record.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
    statusCode: typeof record.statusCode === 'number' ? record.statusCode : undefined,
    code:
      typeof record.code === 'string'
        ? record.code
        : typeof cause?.code === 'string'
          ? cause.code
          : undefined,
  }
}

const KEY_HINT =
  'Set DAYTONA_API_KEY, or run `nexus config set backends.daytona.api_key <key>` (create a key at app.daytona.io → Keys).'

export function isRateLimited(error: unknown): boolean {
  const failure = failureOf(error)
  return failure.statusCode === 429 || failure.name === 'DaytonaRateLimitError'
}

function isNotFound(failure: SdkFailure): boolean {
  return failure.statusCode === 404 || failure.name.endsWith('NotFoundError')
}

export function isNotFoundError(error: unknown): boolean {
  return !isNexusError(error) && isNotFound(failureOf(error))
}

function isConnectionFailure(failure: SdkFailure): boolean {
  return (
    failure.name.startsWith('DaytonaConnection') ||
    ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ERR_NETWORK'].includes(
      failure.code ?? '',
    ) ||
    /fetch failed|ECONNREFUSED|socket hang up|Network Error/i.test(failure.message)
  )
}

/** Removes anything that looks like a bearer token or API key from a server's message before it is shown. */
export function redact(text: string, secret: string | undefined): string {
  let clean = text.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1***')
  if (secret) clean = clean.split(secret).join('***')
  return clean
}

export interface ErrorContext {
  /** What nexus was doing, e.g. `create the sandbox of workspace "x"`. */
  action: string
  apiUrl: string
  apiKey: string | undefined
  /** The workspace, when there is one, for the next-step commands. */
  workspace?: string
  target?: string | undefined
}

/** Turns an SDK failure into a NexusError with the next step. A NexusError passes through unchanged. */
export function toNexusError(error: unknown, context: ErrorContext): unknown {
  if (isNexusError(error)) return error
  const failure = failureOf(error)
  const reason = redact(failure.message.split('\n')[0] ?? failure.name, context.apiKey)
  const details = { status: failure.statusCode ?? null, apiUrl: context.apiUrl }
  const name = context.workspace ?? '<name>'
  if (failure.statusCode === 401 || failure.name === 'DaytonaAuthenticationError') {
    return new NexusError(
      'DAYTONA_AUTH_FAILED',
      `Daytona rejected the API key while trying to ${context.action}.`,
      {
        suggestion: KEY_HINT,
        details,
      },
    )
  }
  if (isRateLimited(error)) {
    return new NexusError(
      'DAYTONA_RATE_LIMITED',
      `Daytona kept refusing requests as too many while trying to ${context.action}.`,
      {
        suggestion: 'Wait a minute and run the command again, or create fewer workspaces at once.',
        details,
      },
    )
  }
  if (/quota|limit exceeded|exceed(s|ed)? (the )?(total|maximum|max)|insufficient/i.test(failure.message)) {
    return new NexusError('DAYTONA_QUOTA_EXCEEDED', `Daytona refused to ${context.action}: ${reason}.`, {
      suggestion:
        'Stop or destroy workspaces you are not using (`nexus workspace ls --backend daytona`), ask for less with --cpu/--memory/--disk, or raise your organisation limits in the Daytona dashboard.',
      details,
    })
  }
  if (
    /region|target/i.test(failure.message) &&
    (failure.statusCode === 400 || failure.statusCode === 404 || failure.statusCode === 503)
  ) {
    return new NexusError(
      'DAYTONA_REGION_UNAVAILABLE',
      `Daytona region "${context.target ?? 'default'}" cannot ${context.action}: ${reason}.`,
      {
        suggestion:
          'Pick another region with --region (e.g. us or eu), or `nexus config set backends.daytona.target <region>`.',
        details,
      },
    )
  }
  if (failure.statusCode === 403 || failure.name === 'DaytonaForbiddenError') {
    return new NexusError(
      'DAYTONA_AUTH_FAILED',
      `Daytona refused to ${context.action}: the API key lacks permission (${reason}).`,
      {
        suggestion: `Use a key with sandbox permissions. ${KEY_HINT}`,
        details,
      },
    )
  }
  if (/Is the Sandbox started\?|sandbox is not started|not running/i.test(failure.message)) {
    return new NexusError(
      'DAYTONA_SANDBOX_STOPPED',
      `The Daytona sandbox is not running, so nexus could not ${context.action}.`,
      {
        suggestion: `Start it with \`nexus workspace start ${name}\`.`,
        details,
      },
    )
  }
  if (isConnectionFailure(failure)) {
    return new NexusError(
      'BACKEND_UNAVAILABLE',
      `Could not reach the Daytona API at ${context.apiUrl} to ${context.action}: ${reason}.`,
      {
        suggestion:
          'Check your network, or the API URL (DAYTONA_API_URL / `nexus config set backends.daytona.api_url <url>`), then retry.',
        details,
      },
    )
  }
  if (isNotFound(failure)) {
    return new NexusError(
      'BACKEND_ERROR',
      `Daytona has no such resource, so nexus could not ${context.action}: ${reason}.`,
      {
        suggestion: `Run \`nexus workspace info ${name}\`; if its sandbox was deleted outside nexus, destroy and recreate the workspace.`,
        details,
      },
    )
  }
  if (failure.name === 'DaytonaTimeoutError') {
    return new NexusError(
      'TIMEOUT',
      `Daytona did not finish in time while trying to ${context.action}: ${reason}.`,
      {
        suggestion:
          'Retry; for slow image builds raise `backends.daytona.create_timeout_seconds` (`nexus config set backends.daytona.create_timeout_seconds 600`).',
        details,
      },
    )
  }
  return new NexusError('BACKEND_ERROR', `Daytona failed to ${context.action}: ${reason}.`, {
    suggestion: `Retry with --debug for details, or run \`nexus workspace info ${name}\`.`,
    details,
  })
}

export interface CallOptions {
  clock?: Clock
  /** Total tries when Daytona answers 429 (the first included). */
  attempts?: number
}

/**
 * Runs one SDK call: 429 answers are retried with backoff (Daytona rate-limits bursts, e.g. many creates at once),
 * then every failure becomes a coded NexusError.
 */
export async function callDaytona<T>(
  fn: () => Promise<T>,
  context: ErrorContext,
  options: CallOptions = {},
): Promise<T> {
  try {
    return await withRetry(fn, {
      attempts: options.attempts ?? 4,
      initialDelayMs: 250,
      maxDelayMs: 2000,
      isRetryable: isRateLimited,
      ...(options.clock ? { clock: options.clock } : {}),
    })
  } catch (error) {
    throw toNexusError(error, context)
  }
}
