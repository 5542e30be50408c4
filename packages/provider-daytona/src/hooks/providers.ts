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
 * Runs in every nexus invocation, so it only describes the backend: the provider (and, later still, the Daytona
 * SDK with its ~100 MB of dependencies) loads in load(), when a command first needs the daytona backend.
 */
const providers: Hook<'nexus:providers', NexusHooks> = async function () {
  return defineProviderRegistration([
    {
      name: 'daytona',
      summary:
        'A Daytona cloud sandbox per workspace, reachable by SSH, with snapshots, previews, LSP and file APIs.',
      load: () => import('../provider.js'),
    },
  ])
}

export default providers
