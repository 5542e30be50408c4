import { defineProvider, nexusHomeId, systemClock, type Clock, type ProviderContext } from '@nexus/core'
import { DaytonaClientHolder } from './client/sdk.js'
import { parseDaytonaConfig } from './config.js'
import { DaytonaProvider } from './daytona-provider.js'
import { PreviewStore } from './operations/previews.js'
import { Sandboxes } from './sandbox/sandboxes.js'
import { SshAccess } from './sandbox/ssh.js'
import { SshTokenStore } from './sandbox/ssh-tokens.js'

/** Seams for tests; production code passes none. */
export interface DaytonaProviderOverrides {
  clock?: Clock
}

/** Makes the provider: validates `backends.daytona` and wires the parts. Nothing talks to Daytona yet. */
export function createDaytonaProvider(
  context: ProviderContext,
  overrides: DaytonaProviderOverrides = {},
): DaytonaProvider {
  const config = parseDaytonaConfig(context.config, context.env)
  const clock = overrides.clock ?? systemClock
  const client = new DaytonaClientHolder(config)
  const sandboxes = new Sandboxes({
    client,
    config,
    reporter: context.reporter,
    clock,
    home: nexusHomeId(context.nexusHome),
  })
  const ssh = new SshAccess(sandboxes, new SshTokenStore(context.nexusHome, clock), context.nexusHome)
  return new DaytonaProvider({ sandboxes, ssh, previews: new PreviewStore(context.nexusHome) })
}

export const daytonaProviderFactory = defineProvider({
  name: 'daytona',
  create: (context) => createDaytonaProvider(context),
})

export default daytonaProviderFactory
