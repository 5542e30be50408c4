import { defineProvider, nexusHomeId, systemClock, type Clock, type ProviderContext } from '@nexus/core'
import { DEFAULT_RATE_LIMIT, SpriteApi, type RateLimitPolicy } from './api/client.js'
import { parseSpriteConfig } from './config.js'
import { SpriteProvider } from './sprite-provider.js'

/** Seams for tests; production passes none. */
export interface SpriteProviderOverrides {
  clock?: Clock
  rateLimit?: RateLimitPolicy
}

/** Validates `backends.sprite` and wires the parts; the SDK itself is imported on the first API call. */
export async function createSpriteProvider(
  context: ProviderContext,
  overrides: SpriteProviderOverrides = {},
): Promise<SpriteProvider> {
  const config = await parseSpriteConfig(context.config, context.env)
  const clock = overrides.clock ?? systemClock
  const api = new SpriteApi(config, clock, overrides.rateLimit ?? DEFAULT_RATE_LIMIT)
  return new SpriteProvider({
    api,
    reporter: context.reporter,
    clock,
    homeId: nexusHomeId(context.nexusHome),
  })
}

export const spriteProviderFactory = defineProvider({
  name: 'sprite',
  create: (context) => createSpriteProvider(context),
})

export default spriteProviderFactory
