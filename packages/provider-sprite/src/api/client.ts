import type { Clock, NexusErrorLike } from '@nexus/core'
import type { Sprite, SpritesClient } from '@fly/sprites'
import type { SpriteBackendConfig } from '../config.js'
import { authFailed, isRateLimited, apiFields, toSpriteError } from './errors.js'
import { loadSpritesSdk } from './sdk.js'

export interface RateLimitPolicy {
  /** Total tries of a rate-limited call, the first included. */
  attempts: number
  /** Longest single wait; a longer Retry-After gives up at once, since the user is better told than kept waiting. */
  maxWaitSeconds: number
}

export const DEFAULT_RATE_LIMIT: RateLimitPolicy = { attempts: 3, maxWaitSeconds: 30 }

/**
 * The Sprites SDK behind one door: the client is made on first use (with the lazily imported SDK), every REST call
 * is retried after `Retry-After` when rate-limited, and whatever fails leaves as a NexusError.
 */
export class SpriteApi {
  private client: Promise<SpritesClient> | undefined

  constructor(
    readonly config: SpriteBackendConfig,
    private readonly clock: Clock,
    private readonly rateLimit: RateLimitPolicy = DEFAULT_RATE_LIMIT,
  ) {}

  get hasToken(): boolean {
    return this.config.token !== undefined
  }

  sdkClient(): Promise<SpritesClient> {
    const token = this.config.token
    if (!token) {
      return Promise.reject(
        authFailed('No Sprites token is set (backends.sprite.token, SPRITE_TOKEN or SPRITES_TOKEN).'),
      )
    }
    return (this.client ??= loadSpritesSdk().then(
      ({ SpritesClient }) => new SpritesClient(token, { baseURL: this.config.apiUrl }),
    ))
  }

  /** A handle on a sprite; no network call. */
  async sprite(name: string): Promise<Sprite> {
    return (await this.sdkClient()).sprite(name)
  }

  /** Runs one API call, waiting out rate limits (bounded), and maps its failure. */
  async call<T>(doing: string, run: (client: SpritesClient) => Promise<T>): Promise<T> {
    const client = await this.sdkClient()
    for (let attempt = 1; ; attempt++) {
      try {
        return await run(client)
      } catch (error) {
        const wait = apiFields(error).retryAfterSeconds ?? 2 ** (attempt - 1)
        if (
          !isRateLimited(error) ||
          attempt >= this.rateLimit.attempts ||
          wait > this.rateLimit.maxWaitSeconds
        ) {
          throw this.errorFor(error, doing)
        }
        await this.clock.sleep(wait * 1000)
      }
    }
  }

  errorFor(error: unknown, doing: string): NexusErrorLike {
    return toSpriteError(error, {
      doing,
      apiUrl: this.config.apiUrl,
      secrets: this.config.token ? [this.config.token] : [],
    })
  }
}
