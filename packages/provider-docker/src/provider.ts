import { defineProvider, type ProviderContext } from '@nexus/core'
import { parseDockerConfig } from './config.js'
import { DockerProvider } from './docker-provider.js'
import { DockerodeEngine } from './engine/dockerode-engine.js'
import type { Engine } from './engine/engine.js'
import { defaultHostStrategies, resolveEndpoint } from './engine/host.js'
import { systemClock, type Clock } from './engine/retry.js'
import { ImageBuilder, hostIdentity, type HostIdentity } from './image/builder.js'
import { withLeftovers } from './orphans.js'
import { WorkspaceStore } from './workspace/store.js'

/** Seams for tests and embedders; production code passes none. */
export interface DockerProviderOverrides {
  engine?: Engine
  clock?: Clock
  identity?: HostIdentity
}

/** Makes the provider: validates `backends.docker`, finds the engine (without contacting it), wires the parts. */
export function createDockerProvider(
  context: ProviderContext,
  overrides: DockerProviderOverrides = {},
): DockerProvider {
  const config = parseDockerConfig(context.config)
  const clock = overrides.clock ?? systemClock
  const engine =
    overrides.engine ??
    DockerodeEngine.fromEndpoint(resolveEndpoint(defaultHostStrategies(config, context.env)), clock)
  const identity = overrides.identity ?? hostIdentity()
  return withLeftovers(
    new DockerProvider({
      engine,
      config,
      globalConfig: context.globalConfig,
      nexusHome: context.nexusHome,
      reporter: context.reporter,
      store: new WorkspaceStore(context.nexusHome),
      images: new ImageBuilder(engine, context.reporter, identity),
      identity,
      clock,
    }),
    {
      engine,
      nexusHome: context.nexusHome,
      endpoint: () => resolveEndpoint(defaultHostStrategies(config, context.env)),
    },
  )
}

export const dockerProviderFactory = defineProvider({
  name: 'docker',
  create: (context) => createDockerProvider(context),
})

export default dockerProviderFactory
