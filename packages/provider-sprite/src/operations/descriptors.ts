import type { OperationDescriptor } from '@nexus/core'

const workspaceOp = (
  id: string,
  summary: string,
  capability: string,
  params: OperationDescriptor['params'] = {},
): OperationDescriptor => ({ id, summary, capability, scope: 'workspace', params })

const serviceParam = {
  service: { type: 'string', description: 'Service name, e.g. web.', required: true },
} as const

/** The escape hatches; `nexus workspace provider sprite <words after sprite.> <workspace>` runs each. */
export const SPRITE_OPERATIONS: OperationDescriptor[] = [
  workspaceOp(
    'sprite.checkpoint.create',
    "Checkpoint the sprite's filesystem (copy-on-write).",
    'checkpoints',
    {
      comment: { type: 'string', description: 'A note kept with the checkpoint.' },
    },
  ),
  workspaceOp('sprite.checkpoint.list', "List the sprite's checkpoints.", 'checkpoints', {
    'include-auto': { type: 'boolean', description: 'Include the automatic checkpoints.', default: false },
  }),
  workspaceOp('sprite.checkpoint.restore', 'Restore a checkpoint (restarts the sprite VM).', 'checkpoints', {
    id: { type: 'string', description: 'Checkpoint id, e.g. v3.', required: true },
  }),
  workspaceOp('sprite.url', "Show the sprite's URL, or change who may open it.", 'previews', {
    auth: { type: 'string', description: 'Who may open the URL.', options: ['public', 'sprite'] },
  }),
  workspaceOp('sprite.file.push', 'Copy a local file into the sprite (at most 16 MiB).', 'fileApi', {
    local: { type: 'string', description: 'Local file.', required: true },
    remote: { type: 'string', description: 'Path in the sprite, relative to the work dir.', required: true },
  }),
  workspaceOp('sprite.file.pull', 'Copy a file out of the sprite.', 'fileApi', {
    remote: { type: 'string', description: 'Path in the sprite, relative to the work dir.', required: true },
    local: { type: 'string', description: 'Local file to write.', required: true },
  }),
  workspaceOp(
    'sprite.service.create',
    'Run a long-lived process that restarts when the sprite wakes.',
    'services',
    {
      ...serviceParam,
      command: {
        type: 'string',
        description: 'Shell command, run with bash -lc in the work dir.',
        required: true,
      },
      port: { type: 'number', description: 'HTTP port the sprite URL routes to.' },
    },
  ),
  workspaceOp('sprite.service.list', "List the sprite's services.", 'services'),
  workspaceOp('sprite.service.start', 'Start a service.', 'services', serviceParam),
  workspaceOp('sprite.service.stop', 'Stop a service.', 'services', serviceParam),
  workspaceOp('sprite.service.logs', "Print a service's recent output.", 'services', {
    ...serviceParam,
    lines: { type: 'number', description: 'How many lines.' },
  }),
]
