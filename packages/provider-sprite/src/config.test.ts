import { describe, expect, it } from 'vitest'
import { codedFailure } from './__tests__/helpers.js'
import { DEFAULT_API_URL, parseSpriteConfig } from './config.js'

describe('backends.sprite config', () => {
  it('falls back to SPRITE_TOKEN, then SPRITES_TOKEN, and to the public API', async () => {
    expect(await parseSpriteConfig({}, { SPRITE_TOKEN: 'a', SPRITES_TOKEN: 'b' })).toEqual({
      token: 'a',
      apiUrl: DEFAULT_API_URL,
      org: undefined,
    })
    expect((await parseSpriteConfig({}, { SPRITES_TOKEN: 'b' })).token).toBe('b')
    expect((await parseSpriteConfig({}, {})).token).toBeUndefined()
  })

  it('prefers the config file over the environment, and trims a trailing slash off the URL', async () => {
    const config = await parseSpriteConfig(
      { token: 'from-config', api_url: 'http://127.0.0.1:8080/', org: 'acme' },
      { SPRITE_TOKEN: 'from-env', SPRITES_API_URL: 'https://elsewhere.invalid' },
    )
    expect(config).toEqual({ token: 'from-config', apiUrl: 'http://127.0.0.1:8080', org: 'acme' })
    expect((await parseSpriteConfig({}, { SPRITES_API_URL: 'http://fake:1' })).apiUrl).toBe('http://fake:1')
  })

  it('refuses unknown keys and a URL that is not http(s), naming the key', async () => {
    const unknown = await codedFailure(() => parseSpriteConfig({ tokn: 'x' }, {}), 'CONFIG_INVALID')
    expect(unknown.message).toContain('tokn')
    const url = await codedFailure(() => parseSpriteConfig({ api_url: 'ftp://x' }, {}), 'CONFIG_INVALID')
    expect(url.suggestion).toContain('nexus config set backends.sprite.api_url')
  })

  it('never quotes a token it refuses', async () => {
    const failure = await codedFailure(
      () => parseSpriteConfig({ token: ['spr_secret_in_a_list'] }, {}),
      'CONFIG_INVALID',
    )
    expect(JSON.stringify(failure)).not.toContain('spr_secret_in_a_list')
    expect(failure.message).toContain('backends.sprite.token')
  })
})
