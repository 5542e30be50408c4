import { NexusError, isNexusError, type NexusErrorLike } from '@nexus/core'

/** The fields of the SDK's APIError that matter here, read structurally (no instanceof across module copies). */
export interface ApiErrorFields {
  statusCode: number | undefined
  errorCode: string | undefined
  retryAfterSeconds: number | undefined
  upgradeUrl: string | undefined
}

export const CONCURRENT_LIMIT = 'concurrent_sprite_limit_exceeded'
export const CREATION_RATE_LIMITED = 'sprite_creation_rate_limited'

/** What the error says about the API's answer: APIError fields, or the `(status N)` the SDK puts in plain Errors. */
export function apiFields(error: unknown): ApiErrorFields {
  const record = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {}
  const message = typeof record.message === 'string' ? record.message : ''
  const parsedStatus = /\(status (\d{3})\)/.exec(message)?.[1]
  const statusCode =
    typeof record.statusCode === 'number'
      ? record.statusCode
      : parsedStatus
        ? Number(parsedStatus)
        : undefined
  const retryAfter = (record.getRetryAfterSeconds as (() => unknown) | undefined)?.call(error)
  return {
    statusCode,
    errorCode:
      typeof record.errorCode === 'string'
        ? record.errorCode
        : /"error"\s*:\s*"([a-z_]+)"/.exec(message)?.[1],
    retryAfterSeconds: typeof retryAfter === 'number' && retryAfter > 0 ? retryAfter : undefined,
    upgradeUrl: typeof record.upgradeUrl === 'string' ? record.upgradeUrl : undefined,
  }
}

/** The SDK wraps fetch failures as "Network error: …"; a bare fetch throws TypeError("fetch failed"). */
export function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  return /^Network error:|fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|socket hang up/i.test(
    `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`,
  )
}

export function isRateLimited(error: unknown): boolean {
  const { statusCode, errorCode } = apiFields(error)
  return errorCode !== CONCURRENT_LIMIT && (statusCode === 429 || errorCode === CREATION_RATE_LIMITED)
}

export function isNotFound(error: unknown): boolean {
  return apiFields(error).statusCode === 404
}

export interface ErrorContext {
  /** What nexus was doing, as a verb phrase: "create sprite nexus-app-x". */
  doing: string
  apiUrl: string
  /** Secrets that must never reach a message (the token). */
  secrets: string[]
}

/**
 * The SDK's words without what must not be shown: the WebSocket URL it appends (its query carries the command and
 * its environment) and any secret.
 */
export function sanitize(message: string, secrets: string[]): string {
  let clean = message.replace(/\s*\(url: [^)]*\)/g, '').split('\n')[0] ?? ''
  for (const secret of secrets) if (secret) clean = clean.split(secret).join('***')
  return clean.trim().replace(/\.$/, '')
}

export function authFailed(reason: string): NexusError {
  return new NexusError('SPRITE_AUTH_FAILED', reason, {
    suggestion:
      'Set a valid Sprites token: `export SPRITE_TOKEN=<token>` or `nexus config set backends.sprite.token <token>` (create one at https://sprites.dev).',
  })
}

/** Turns anything the SDK threw into a NexusError that says what happened and what to do next. */
export function toSpriteError(error: unknown, context: ErrorContext): NexusErrorLike {
  if (isNexusError(error)) return error
  const fields = apiFields(error)
  const said = sanitize(error instanceof Error ? error.message : String(error), context.secrets)
  if (fields.statusCode === 401 || fields.statusCode === 403) {
    return authFailed(
      `The Sprites API refused the token (status ${fields.statusCode}) when asked to ${context.doing}.`,
    )
  }
  if (fields.errorCode === CONCURRENT_LIMIT) {
    return new NexusError('RESOURCE_EXHAUSTED', `Sprites refused to ${context.doing}: ${said}.`, {
      suggestion: `Your Sprites plan's concurrent sprite limit is reached: destroy a workspace you no longer need (\`nexus workspace ls --backend sprite\`, then \`nexus workspace destroy <name>\`)${fields.upgradeUrl ? ` or upgrade at ${fields.upgradeUrl}` : ' or upgrade your plan'}.`,
      details: { errorCode: CONCURRENT_LIMIT },
    })
  }
  if (isRateLimited(error)) {
    const wait = fields.retryAfterSeconds
    return new NexusError(
      'SPRITE_RATE_LIMITED',
      `The Sprites API rate-limited the request to ${context.doing}.`,
      {
        suggestion: `Wait ${wait ? `${wait} seconds` : 'a minute'} and run the command again.`,
        details: { retryAfterSeconds: wait ?? null, errorCode: fields.errorCode ?? null },
      },
    )
  }
  if (isNetworkFailure(error) || (fields.statusCode !== undefined && fields.statusCode >= 500)) {
    return new NexusError(
      'BACKEND_UNAVAILABLE',
      `The Sprites API at ${context.apiUrl} did not answer when asked to ${context.doing}.`,
      {
        suggestion:
          'Check your network connection and the API URL (SPRITES_API_URL or `nexus config get backends.sprite.api_url`), then retry.',
        details: { statusCode: fields.statusCode ?? null },
      },
    )
  }
  return new NexusError('BACKEND_ERROR', `Sprites could not ${context.doing}: ${said}.`, {
    suggestion: 'Retry with --debug for details, or check the sprite with `nexus workspace info <name>`.',
    details: { statusCode: fields.statusCode ?? null, errorCode: fields.errorCode ?? null },
  })
}
