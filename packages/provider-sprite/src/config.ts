import { NexusError, type JsonObject } from '@nexus/core'

export const DEFAULT_API_URL = 'https://api.sprites.dev'

/** The `backends.sprite` config section, validated and with the environment's fallbacks applied. */
export interface SpriteBackendConfig {
  /** Absent until the user sets one; every API call then fails with SPRITE_AUTH_FAILED and the fix. */
  token: string | undefined
  apiUrl: string
  org: string | undefined
}

const KEYS = ['token', 'api_url', 'org'] as const

/**
 * Validates `backends.sprite` with zod, imported here rather than at module level: the provider is only made when a
 * command uses the sprite backend, and most of those never get here twice. Messages never quote the token.
 */
export async function parseSpriteConfig(
  section: JsonObject,
  env: Readonly<Record<string, string | undefined>>,
): Promise<SpriteBackendConfig> {
  const { z } = await import('zod')
  const schema = z
    .object({
      token: z.string().trim().min(1).optional(),
      api_url: z.url({ protocol: /^https?$/ }).optional(),
      org: z.string().trim().min(1).optional(),
    })
    .strict()
  const parsed = schema.safeParse(withoutNulls(section))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const key = issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : String(issue?.path[0] ?? '')
    throw new NexusError('CONFIG_INVALID', configProblem(key, issue?.code), {
      suggestion:
        issue?.code === 'unrecognized_keys'
          ? `Remove it; known settings are ${KEYS.join(', ')}.`
          : `Fix it with \`nexus config set backends.sprite.${key} <value>\`, or remove it to use the default.`,
      details: { key: `backends.sprite.${key}` },
    })
  }
  const { token, api_url: apiUrl, org } = parsed.data
  return {
    token: token ?? nonEmpty(env.SPRITE_TOKEN) ?? nonEmpty(env.SPRITES_TOKEN),
    apiUrl: (apiUrl ?? nonEmpty(env.SPRITES_API_URL) ?? DEFAULT_API_URL).replace(/\/+$/, ''),
    org: org ?? nonEmpty(env.SPRITE_ORG),
  }
}

function configProblem(key: string, code: string | undefined): string {
  if (code === 'unrecognized_keys') return `backends.sprite has unknown setting(s): ${key}.`
  if (key === 'api_url') return 'backends.sprite.api_url must be an http(s) URL.'
  return `backends.sprite.${key} must be a non-empty string.`
}

function withoutNulls(section: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(section).filter(([, value]) => value !== null && value !== ''))
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed ? trimmed : undefined
}
