export { dockerProviderFactory, createDockerProvider, type DockerProviderOverrides } from './provider.js'
export { DockerProvider, DOCKER_CAPABILITIES } from './docker-provider.js'
export {
  parseDockerConfig,
  DEFAULT_BASE_IMAGE,
  type DockerBackendConfig,
  type ImageChoice,
} from './config.js'
export type { Engine } from './engine/engine.js'
export { DockerodeEngine } from './engine/dockerode-engine.js'
export {
  ConfiguredHostStrategy,
  DockerHostEnvStrategy,
  DockerContextStrategy,
  DefaultSocketStrategy,
  defaultHostStrategies,
  resolveEndpoint,
  type EngineEndpoint,
  type HostStrategy,
} from './engine/host.js'
export { DOCKER_OPERATIONS } from './operations/index.js'
export { workspaceImageTag, WORKSPACE_IMAGE_REPO } from './image/builder.js'
export { LABELS, MANAGED_BY, namesFor } from './workspace/naming.js'
