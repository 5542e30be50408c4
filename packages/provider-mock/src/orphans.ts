import type { BackendStatus, Provider, ProviderLeftovers } from '@nexus/core'
import { MockStateStore, type MockStatus } from './state.js'

const STATUS: Record<MockStatus, BackendStatus> = {
  created: 'stopped',
  running: 'running',
  stopped: 'stopped',
  paused: 'paused',
}

/**
 * Cleanup support for the mock backend: its workspaces are files under NEXUS_HOME, so every one of them is a
 * candidate (no repository to scope by), and removing one removes its files.
 */
export function mockLeftovers(nexusHome: string): ProviderLeftovers {
  const store = new MockStateStore(nexusHome)
  return {
    async list() {
      return (await store.all()).map((record) => ({
        kind: 'mock-workspace',
        id: record.workspaceId,
        name: record.name,
        workspaceId: record.workspaceId,
        status: STATUS[record.status],
      }))
    },
    async remove(resource) {
      await store.remove(resource.id)
    },
  }
}

/** Gives the mock provider its cleanup support (one line in provider.ts). */
export function withLeftovers(provider: Provider, nexusHome: string): Provider {
  return Object.assign(provider, { leftovers: mockLeftovers(nexusHome) })
}
