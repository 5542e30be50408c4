import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isNexusError, type Clock, type NexusErrorLike, type Reporter } from '@nexus/core'
import { createTestProviderContext, failureOf } from '@nexus/core/testing'
import { expect } from 'vitest'
import { createSpriteProvider, type SpriteProviderOverrides } from '../provider.js'
import type { SpriteProvider } from '../sprite-provider.js'
import { startFakeSprites, type FakeSprites } from './fake-sprites/server.js'

/** A token shaped like a real one, so a leak of it is unmistakable in any output. */
export const CANARY_TOKEN = 'spr_canary_7f3a9c1e5b2d4680'

export interface TestBackend {
  fake: FakeSprites
  nexusHome: string
  provider(options?: {
    token?: string | null
    overrides?: SpriteProviderOverrides
    reporter?: Reporter
  }): Promise<SpriteProvider>
  cleanup(): Promise<void>
}

/** A fake Sprites API and providers pointed at it through the environment, as a user's shell would. */
export async function startTestBackend(): Promise<TestBackend> {
  const fake = await startFakeSprites({ token: CANARY_TOKEN })
  const nexusHome = await mkdtemp(join(tmpdir(), 'nexus-sprite-home-'))
  return {
    fake,
    nexusHome,
    provider(options = {}) {
      const token = options.token === undefined ? CANARY_TOKEN : options.token
      const env: Record<string, string> = {
        SPRITES_API_URL: fake.url,
        ...(token ? { SPRITE_TOKEN: token } : {}),
      }
      return createSpriteProvider(
        createTestProviderContext({
          nexusHome,
          env,
          ...(options.reporter ? { reporter: options.reporter } : {}),
        }),
        options.overrides,
      )
    },
    async cleanup() {
      await fake.close()
      await rm(nexusHome, { recursive: true, force: true })
    },
  }
}

/** A clock that records waits instead of waiting. */
export function recordingClock(): Clock & { sleeps: number[] } {
  let now = 0
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms)
      now += ms
    },
  }
}

/** A reporter that keeps warnings, for asserting what the user is told. */
export function recordingReporter(): Reporter & { warnings: string[] } {
  const warnings: string[] = []
  return {
    warnings,
    step: () => () => undefined,
    info: () => undefined,
    warn: (message) => void warnings.push(message),
    debug: () => undefined,
  }
}

/** The NexusError a call fails with, checked for its code and a suggestion, for further assertions. */
export async function codedFailure(action: () => unknown, code: string): Promise<NexusErrorLike> {
  const error = await failureOf(action)
  expect(isNexusError(error), `expected a NexusError ${code}, got ${String(error)}`).toBe(true)
  const coded = error as NexusErrorLike
  expect(coded.code, coded.message).toBe(code)
  expect(coded.suggestion, 'a suggestion of what to do next').toBeTruthy()
  expect(`${coded.message} ${coded.suggestion ?? ''} ${JSON.stringify(coded.details ?? {})}`).not.toContain(
    CANARY_TOKEN,
  )
  return coded
}
