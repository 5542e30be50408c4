import type { Hook, Hooks } from '@oclif/core/interfaces'
import { defineProviderRegistration, type ProviderRegistration, type ProvidersHookOptions } from '@nexus/core'

/** oclif's hook table wants index-signature-compatible options, hence the mapped copy of ProvidersHookOptions. */
type NexusHooks = Hooks & {
  'nexus:providers': {
    options: { [K in keyof ProvidersHookOptions]: ProvidersHookOptions[K] }
    return: ProviderRegistration
  }
}

/**
 * Runs in every nexus invocation, so it only describes the backend: dockerode (~100 ms to import) and the rest of
 * the provider load in load(), when a command first needs the docker backend.
 */
const providers: Hook<'nexus:providers', NexusHooks> = async function () {
  return defineProviderRegistration([
    {
      name: 'docker',
      summary: 'A container per workspace over its git worktree, reachable by SSH (local Docker engine).',
      load: () => import('../provider.js'),
    },
  ])
}

export default providers
