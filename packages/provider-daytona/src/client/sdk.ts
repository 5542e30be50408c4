import type { Daytona, Sandbox } from '@daytonaio/sdk'
import { NexusError } from '@nexus/core'
import type { DaytonaBackendConfig } from '../config.js'

export type { Daytona, Sandbox }
export type SdkModule = typeof import('@daytonaio/sdk')

let sdk: Promise<SdkModule> | undefined

/**
 * The SDK costs ~250 ms and ~100 MB of OpenTelemetry and AWS code to import, so it is loaded here and only here,
 * on the first call that talks to Daytona: `nexus --help` and every command on another backend never pay for it.
 */
export function loadSdk(): Promise<SdkModule> {
  sdk ??= import('@daytonaio/sdk')
  return sdk
}

/**
 * The Daytona clients of this provider instance, made on first use: one per region, because the SDK sends the
 * region (`target`) of its client, not of the call, when it creates a sandbox.
 */
export class DaytonaClientHolder {
  private readonly clients = new Map<string, Promise<Daytona>>()

  constructor(private readonly config: DaytonaBackendConfig) {}

  get(target: string | undefined = this.config.target): Promise<Daytona> {
    const key = target ?? ''
    let client = this.clients.get(key)
    if (!client) {
      client = this.connect(target)
      this.clients.set(key, client)
      client.catch(() => this.clients.delete(key))
    }
    return client
  }

  private async connect(target: string | undefined): Promise<Daytona> {
    const apiKey = this.config.apiKey
    if (!apiKey) {
      throw new NexusError('DAYTONA_AUTH_FAILED', 'No Daytona API key is configured.', {
        suggestion:
          'Set DAYTONA_API_KEY, or run `nexus config set backends.daytona.api_key <key>` (create a key at app.daytona.io → Keys).',
      })
    }
    const { Daytona } = await loadSdk()
    // apiUrl is always explicit: the SDK throws when DAYTONA_API_URL is in both the env and a .env file without it.
    return new Daytona({
      apiKey,
      apiUrl: this.config.apiUrl,
      ...(target ? { target } : {}),
      useDeprecatedPolling: this.config.poll,
    })
  }
}
