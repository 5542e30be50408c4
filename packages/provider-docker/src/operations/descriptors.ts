import type { OperationDescriptor } from '@nexus/core'

const volume = {
  type: 'string',
  description: 'Volume name; the Docker volume is nexus-<repo>-<workspace>-<volume>.',
  required: true,
} as const
const network = { type: 'string', description: 'Docker network name.', required: true } as const

/** The Docker escape hatches, as `nexus workspace provider docker …` and `runOperation` know them. */
export const DOCKER_OPERATIONS: OperationDescriptor[] = [
  {
    id: 'docker.volume.create',
    summary: 'Create a named volume for the workspace.',
    capability: 'volumes',
    scope: 'workspace',
    params: {
      volume,
      size: {
        type: 'number',
        description:
          'Size in GiB; needs a volume driver that supports sizes (backends.docker.volume_driver).',
      },
    },
  },
  {
    id: 'docker.volume.attach',
    summary:
      'Mount a volume into the workspace container (recreates the container; /workspace and volumes are kept).',
    capability: 'volumes',
    scope: 'workspace',
    params: {
      volume,
      mount: { type: 'string', description: 'Absolute path inside the workspace.', required: true },
    },
  },
  {
    id: 'docker.volume.detach',
    summary: 'Unmount a volume from the workspace container (recreates the container; the volume is kept).',
    capability: 'volumes',
    scope: 'workspace',
    params: { volume },
  },
  {
    id: 'docker.volume.delete',
    summary: 'Delete a volume of the workspace and its data.',
    capability: 'volumes',
    scope: 'workspace',
    params: { volume },
  },
  {
    id: 'docker.image.build',
    summary: 'Build (or rebuild) the workspace image from a base image.',
    capability: 'images',
    scope: 'provider',
    params: { base: { type: 'string', description: 'Base image (default: backends.docker.base_image).' } },
  },
  {
    id: 'docker.image.cache',
    summary: "Commit the workspace container's filesystem to an image, for reuse with --image.",
    capability: 'images',
    scope: 'workspace',
    params: {
      from: {
        type: 'string',
        description: "A service whose container to commit instead of the workspace's own.",
      },
      to: { type: 'string', description: 'Image to write (default: nexus-cache/<repo>-<workspace>:latest).' },
    },
  },
  {
    id: 'docker.image.prune',
    summary: 'Remove dangling images that nexus built.',
    capability: 'images',
    scope: 'provider',
    params: {},
  },
  {
    id: 'docker.network.create',
    summary: 'Create a Docker network that workspaces can join.',
    capability: 'networks',
    scope: 'provider',
    params: { network },
  },
  {
    id: 'docker.network.connect',
    summary: 'Connect the workspace container to a network (kept across restarts).',
    capability: 'networks',
    scope: 'workspace',
    params: { network },
  },
  {
    id: 'docker.network.disconnect',
    summary: 'Disconnect the workspace container from a network.',
    capability: 'networks',
    scope: 'workspace',
    params: { network },
  },
]
