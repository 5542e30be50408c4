import { NexusError, type JsonValue, type OperationRequest, type Workspace } from '@nexus/core'
import type { SpriteDeps } from '../workspace/deps.js'
import { createCheckpoint, listCheckpoints, restoreCheckpoint } from './checkpoints.js'
import { pullFile, pushFile } from './files.js'
import { controlService, createService, listServices, serviceLogs } from './services.js'
import { spriteUrl } from './url.js'

export { SPRITE_OPERATIONS } from './descriptors.js'

type Params = OperationRequest['params']

const text = (params: Params, key: string): string => String(params[key] ?? '')
const optionalText = (params: Params, key: string): string | undefined =>
  params[key] === undefined ? undefined : String(params[key])
const optionalNumber = (params: Params, key: string): number | undefined =>
  typeof params[key] === 'number' ? params[key] : undefined

/** Runs an escape hatch; core has already checked its capability and parameters. */
export async function runSpriteOperation(deps: SpriteDeps, request: OperationRequest): Promise<JsonValue> {
  const workspace = request.workspace
  if (!workspace) {
    throw new NexusError('INVALID_ARGUMENT', `Operation ${request.id} works on a workspace; name one.`, {
      suggestion: `Run it as \`nexus workspace provider sprite … <workspace>\`.`,
    })
  }
  const params = request.params
  const handlers: Record<string, (ws: Workspace) => Promise<JsonValue>> = {
    'sprite.checkpoint.create': (ws) => createCheckpoint(deps, ws, optionalText(params, 'comment')),
    'sprite.checkpoint.list': (ws) => listCheckpoints(deps, ws, params['include-auto'] === true),
    'sprite.checkpoint.restore': (ws) => restoreCheckpoint(deps, ws, text(params, 'id')),
    'sprite.url': (ws) => spriteUrl(deps, ws, optionalText(params, 'auth')),
    'sprite.file.push': (ws) => pushFile(deps, ws, text(params, 'local'), text(params, 'remote')),
    'sprite.file.pull': (ws) => pullFile(deps, ws, text(params, 'remote'), text(params, 'local')),
    'sprite.service.create': (ws) =>
      createService(deps, ws, {
        name: text(params, 'service'),
        command: text(params, 'command'),
        httpPort: optionalNumber(params, 'port'),
      }),
    'sprite.service.list': (ws) => listServices(deps, ws),
    'sprite.service.start': (ws) => controlService(deps, ws, text(params, 'service'), 'start'),
    'sprite.service.stop': (ws) => controlService(deps, ws, text(params, 'service'), 'stop'),
    'sprite.service.logs': (ws) =>
      serviceLogs(deps, ws, text(params, 'service'), optionalNumber(params, 'lines')),
  }
  const handler = handlers[request.id]
  if (!handler) {
    throw new NexusError('OPERATION_NOT_FOUND', `The sprite backend has no operation "${request.id}".`, {
      suggestion: 'See its operations with `nexus provider info sprite`.',
    })
  }
  return handler(workspace)
}
