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
 * Runs in every nexus invocation, so it only describes the backend: the provider module is imported by load(),
 * when a command first needs the mock backend.
 */
const providers: Hook<'nexus:providers', NexusHooks> = async function () {
  return defineProviderRegistration([
    {
      name: 'mock',
      summary:
        'Workspaces on the host: a state file per workspace and commands run in the worktree (tests, demos).',
      load: () => import('../provider.js'),
    },
  ])
}

export default providers
