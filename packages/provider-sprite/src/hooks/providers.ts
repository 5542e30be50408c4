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
 * Runs in every nexus invocation, so it only describes the backend: the provider, zod and the Sprites SDK load in
 * load() and later, when a command first needs the sprite backend.
 */
const providers: Hook<'nexus:providers', NexusHooks> = async function () {
  return defineProviderRegistration([
    {
      name: 'sprite',
      summary:
        'A fly.io Sprite microVM per workspace: exec and shells through the Sprites API, checkpoints, URLs.',
      load: () => import('../provider.js'),
    },
  ])
}

export default providers
