import { describe, expect, it } from 'vitest'
import { DEFAULT_API_URL, parseDaytonaConfig, sandboxChoices } from './config.js'

describe('backends.daytona config', () => {
  it('takes the key, URL and region from the environment by default', () => {
    const config = parseDaytonaConfig({}, { DAYTONA_API_KEY: 'k1', NEXUS_DAYTONA_REGION: 'eu' })
    expect(config).toMatchObject({
      apiKey: 'k1',
      apiUrl: DEFAULT_API_URL,
      target: 'eu',
      autoStartOnUse: true,
      poll: true,
    })
    expect(parseDaytonaConfig({}, { DAYTONA_API_URL: 'http://127.0.0.1:3000/api/' }).apiUrl).toBe(
      'http://127.0.0.1:3000/api',
    )
  })

  it('prefers the config section over the environment', () => {
    const config = parseDaytonaConfig(
      { api_key: 'from-config', target: 'us', auto_stop_interval: 0, auto_start_on_use: false },
      { DAYTONA_API_KEY: 'from-env', NEXUS_DAYTONA_REGION: 'eu' },
    )
    expect(config).toMatchObject({
      apiKey: 'from-config',
      target: 'us',
      autoStopInterval: 0,
      autoStartOnUse: false,
    })
  })

  it('refuses an invalid setting with CONFIG_INVALID naming the key but never echoing the value', () => {
    let caught: unknown
    try {
      parseDaytonaConfig({ api_key: 42, api_urll: 'x' }, {})
    } catch (error) {
      caught = error
    }
    expect(caught).toMatchObject({ code: 'CONFIG_INVALID' })
    expect((caught as Error).message).toMatch(/backends\.daytona/)
    expect(() => parseDaytonaConfig({ create_timeout_seconds: 5 }, {})).toThrow(/create_timeout_seconds/)
  })

  it('merges flags over config per workspace', () => {
    const config = parseDaytonaConfig(
      { target: 'us', auto_stop_interval: 30, default_resources: { disk: 5 } },
      {},
    )
    const choices = sandboxChoices(
      config,
      { region: 'eu', autoStop: 0, ephemeral: true },
      { cpu: 2, memory: 4 },
    )
    expect(choices).toMatchObject({
      target: 'eu',
      autoStopInterval: 0,
      ephemeral: true,
      resources: { cpu: 2, memory: 4, disk: 5 },
    })
    expect(() => sandboxChoices(config, { region: 5 }, { cpu: 1, memory: 1 })).toThrow(/region/)
  })
})
