import type { ServiceWithState } from '@fly/sprites'
import { NexusError, type JsonObject, type Workspace } from '@nexus/core'
import { requireSprite, type SpriteDeps } from '../workspace/deps.js'
import { spriteOf } from '../workspace/naming.js'
import { drainStream } from './streams.js'

const SERVICE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/

export interface ServiceView extends JsonObject {
  name: string
  command: string
  status: string
  pid: number | null
  httpPort: number | null
}

function view(service: ServiceWithState): ServiceView {
  const command =
    service.cmd === 'bash' && service.args[0] === '-lc'
      ? (service.args[1] ?? '')
      : [service.cmd, ...service.args].join(' ')
  return {
    name: service.name,
    command,
    status: service.state?.status ?? 'unknown',
    pid: service.state?.pid ?? null,
    httpPort: service.httpPort ?? null,
  }
}

function checkName(name: string): void {
  if (!SERVICE_NAME.test(name)) {
    throw new NexusError('INVALID_ARGUMENT', `"${name}" is not a valid service name.`, {
      suggestion: 'Use lower-case letters, digits, dashes and underscores, e.g. `web`.',
    })
  }
}

async function failOnErrors(
  stream: Parameters<typeof drainStream>[0],
  what: string,
  workspace: Workspace,
): Promise<string> {
  const { events, errors } = await drainStream(stream)
  if (errors.length > 0) {
    throw new NexusError('BACKEND_ERROR', `Sprites failed to ${what}: ${errors.join('; ')}.`, {
      suggestion: `See the service's output with \`nexus workspace provider sprite service logs ${workspace.name} --service <name>\`.`,
    })
  }
  return events
    .filter((event) => event.type === 'stdout' || event.type === 'stderr')
    .map((event) => event.data ?? '')
    .join('')
}

/** A long-running process the sprite restarts when it wakes from cold; it starts in the work dir, under `bash -lc`. */
export async function createService(
  deps: SpriteDeps,
  workspace: Workspace,
  request: { name: string; command: string; httpPort: number | undefined },
): Promise<ServiceView> {
  checkName(request.name)
  const { sprite: name, workdir } = spriteOf(workspace)
  const sprite = await requireSprite(deps, name, workspace.name)
  const stream = await deps.api.call(`create service ${request.name} in sprite ${name}`, () =>
    sprite.createService(request.name, {
      cmd: 'bash',
      args: ['-lc', request.command],
      dir: workdir,
      ...(request.httpPort !== undefined ? { httpPort: request.httpPort } : {}),
    }),
  )
  await failOnErrors(stream, `start service ${request.name}`, workspace)
  return view(await deps.api.call(`read service ${request.name}`, () => sprite.getService(request.name)))
}

export async function listServices(deps: SpriteDeps, workspace: Workspace): Promise<ServiceView[]> {
  const { sprite: name } = spriteOf(workspace)
  const sprite = await requireSprite(deps, name, workspace.name)
  return (await deps.api.call(`list the services of sprite ${name}`, () => sprite.listServices())).map(view)
}

export async function controlService(
  deps: SpriteDeps,
  workspace: Workspace,
  service: string,
  action: 'start' | 'stop',
): Promise<ServiceView> {
  checkName(service)
  const { sprite: name } = spriteOf(workspace)
  const sprite = await requireSprite(deps, name, workspace.name)
  const stream = await deps.api.call(`${action} service ${service} in sprite ${name}`, () =>
    action === 'start' ? sprite.startService(service) : sprite.stopService(service),
  )
  await failOnErrors(stream, `${action} service ${service}`, workspace)
  return view(await deps.api.call(`read service ${service}`, () => sprite.getService(service)))
}

export async function serviceLogs(
  deps: SpriteDeps,
  workspace: Workspace,
  service: string,
  lines: number | undefined,
): Promise<{ service: string; logs: string }> {
  checkName(service)
  const { sprite: name } = spriteOf(workspace)
  const sprite = await requireSprite(deps, name, workspace.name)
  const stream = await deps.api.call(`read the logs of service ${service}`, () =>
    sprite.getServiceLogs(service, lines !== undefined ? { lines } : {}),
  )
  return { service, logs: await failOnErrors(stream, `read the logs of service ${service}`, workspace) }
}
