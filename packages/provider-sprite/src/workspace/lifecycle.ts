import type { Sprite } from '@fly/sprites'
import {
  NexusError,
  type BackendResource,
  type BackendStatus,
  type InspectResult,
  type StartResult,
  type Workspace,
} from '@nexus/core'
import { drainStream, type StreamEvent } from '../operations/streams.js'
import { diagnoseFor, findSprite, requireSprite, type SpriteDeps } from './deps.js'
import { LABELS, madeByHome, refFor, spriteOf, workspaceIdOf } from './naming.js'
import { captureOnSprite } from './run-command.js'

/**
 * Nexus's status from the sprite's: a cold sprite (VM stopped, memory gone) is stopped; warm (suspended, resumes
 * in well under a second) and running are running, unless nexus stopped the workspace and it has not gone cold yet.
 */
export function statusFrom(sprite: Pick<Sprite, 'status' | 'labels'>): BackendStatus {
  if (sprite.labels.includes(LABELS.stopped)) return 'stopped'
  if (sprite.status === 'cold') return 'stopped'
  return 'running'
}

/**
 * Reads a progress stream to its end, so the step has finished before the next; an error in it is told, not thrown:
 * one service that will not start or stop must not leave the workspace half-started or half-stopped.
 */
async function drainWarning(
  deps: SpriteDeps,
  stream: AsyncIterable<StreamEvent>,
  what: string,
): Promise<void> {
  const { errors } = await drainStream(stream)
  if (errors.length > 0) deps.reporter.warn(`${what} reported: ${errors.join('; ')}`)
}

async function setStopped(deps: SpriteDeps, sprite: Sprite, stopped: boolean): Promise<void> {
  if (sprite.labels.includes(LABELS.stopped) === stopped) return
  const labels = [
    ...sprite.labels.filter((label) => label !== LABELS.stopped),
    ...(stopped ? [LABELS.stopped] : []),
  ]
  await deps.api.call(`label sprite ${sprite.name}`, (client) => client.updateSprite(sprite.name, { labels }))
}

/** Clears the stopped mark, wakes the VM with a no-op command, and starts the services the last stop stopped. */
export async function startSprite(deps: SpriteDeps, workspace: Workspace): Promise<StartResult> {
  const { sprite: name, workdir } = spriteOf(workspace)
  const sprite = await requireSprite(deps, name, workspace.name)
  await setStopped(deps, sprite, false)
  const woken = await captureOnSprite(
    sprite,
    { argv: ['true'], cwd: workdir },
    diagnoseFor(deps, name, workspace.name),
  )
  if (woken.exitCode !== 0) {
    throw new NexusError(
      'WORKSPACE_START_FAILED',
      `Sprite ${name} did not run a command after waking (exit ${woken.exitCode}).`,
      {
        suggestion: `Run \`nexus workspace start ${workspace.name}\` again; if it keeps failing, check the sprite with \`sprite info ${name}\`.`,
      },
    )
  }
  const services = await deps.api.call(`list the services of sprite ${name}`, () => sprite.listServices())
  for (const service of services.filter((s) => s.state?.status !== 'running')) {
    const stream = await deps.api.call(`start service ${service.name}`, () =>
      sprite.startService(service.name),
    )
    await drainWarning(deps, stream, `Starting service ${service.name}`)
  }
  return { backendRef: refFor(name) }
}

/**
 * Ends the workspace's exec sessions and services, then marks it stopped: a sprite cannot be switched off, it goes
 * warm and then cold by itself once nothing runs in it.
 */
export async function stopSprite(deps: SpriteDeps, workspace: Workspace): Promise<void> {
  const { sprite: name } = spriteOf(workspace)
  const sprite = await findSprite(deps, name)
  if (!sprite) return
  const sessions = await deps.api.call(`list the sessions of sprite ${name}`, () => sprite.listSessions())
  for (const session of sessions) {
    const stream = await deps.api
      .call(`end session ${session.id} in sprite ${name}`, () =>
        sprite.killSession(session.id, 'SIGTERM', '5s'),
      )
      .catch(() => null)
    if (stream) await drainWarning(deps, stream, `Ending session ${session.id}`)
  }
  const services = await deps.api.call(`list the services of sprite ${name}`, () => sprite.listServices())
  for (const service of services.filter((s) => s.state?.status === 'running')) {
    const stream = await deps.api.call(`stop service ${service.name}`, () => sprite.stopService(service.name))
    await drainWarning(deps, stream, `Stopping service ${service.name}`)
  }
  await setStopped(deps, sprite, true)
}

export async function destroySprite(deps: SpriteDeps, workspace: Workspace): Promise<void> {
  const { sprite: name } = spriteOf(workspace)
  if (!(await findSprite(deps, name))) return
  await deps.api
    .call(`delete sprite ${name}`, (client) => client.deleteSprite(name))
    .catch((error: unknown) => {
      if ((error as NexusError).details?.statusCode !== 404) throw error
    })
}

export async function inspectSprite(deps: SpriteDeps, workspace: Workspace): Promise<InspectResult> {
  const { sprite: name } = spriteOf(workspace)
  const sprite = await findSprite(deps, name)
  if (!sprite) return { status: 'missing', detail: `sprite ${name} does not exist` }
  const status = statusFrom(sprite)
  const marked =
    sprite.labels.includes(LABELS.stopped) && sprite.status !== 'cold' ? ', stopped by nexus' : ''
  return {
    status,
    detail: `sprite ${name} is ${sprite.status ?? 'unknown'}${marked}; for a shell run \`nexus workspace ssh ${workspace.name}\` (a terminal through the Sprites API: sprites have no SSH endpoint)`,
  }
}

/**
 * Every sprite this nexus home made (by label), with the workspace id it carries. Another machine's sprites in the
 * same org are left out; `strict` also leaves out sprites that carry no home label, for callers that delete.
 */
export async function listSprites(deps: SpriteDeps, strict = false): Promise<BackendResource[]> {
  const sprites = await deps.api.call('list sprites', (client) => client.listAllSprites('nexus-'))
  return sprites
    .filter(
      (sprite) => sprite.labels.includes(LABELS.managed) && madeByHome(sprite.labels, deps.homeId, strict),
    )
    .map((sprite) => ({
      kind: 'sprite',
      id: sprite.id ?? sprite.name,
      name: sprite.name,
      workspaceId: workspaceIdOf(sprite.labels),
      status: statusFrom(sprite),
    }))
}
