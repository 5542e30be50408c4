import { silentReporter } from '@nexus/core'
import { DockerodeEngine } from '../engine/dockerode-engine.js'
import { DefaultSocketStrategy, resolveEndpoint } from '../engine/host.js'
import { ImageBuilder, hostIdentity } from '../image/builder.js'
import { TEST_BASE_IMAGE } from './helpers.js'

/** Builds the workspace image the tests run on (a no-op when it is current), so parallel test files do not race to. */
export default async function setup(): Promise<void> {
  const engine = DockerodeEngine.fromEndpoint(resolveEndpoint([new DefaultSocketStrategy()]))
  await new ImageBuilder(engine, silentReporter, hostIdentity()).ensure(
    { kind: 'base', reference: TEST_BASE_IMAGE },
    { dir: process.cwd(), name: 'tests' },
  )
}
