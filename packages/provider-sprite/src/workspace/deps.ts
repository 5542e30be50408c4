import type { Sprite } from '@fly/sprites'
import { NexusError, type Clock, type NexusErrorLike, type Reporter } from '@nexus/core'
import type { SpriteApi } from '../api/client.js'
import { isNotFound } from '../api/errors.js'
import type { Diagnose } from './run-command.js'

/** What the provider's parts share. */
export interface SpriteDeps {
  api: SpriteApi
  reporter: Reporter
  clock: Clock
  /** This installation's id (core's `nexusHomeId`), carried by every sprite it makes as a `nexus-home-` label. */
  homeId: string
}

export function spriteGone(sprite: string, workspace: string): NexusError {
  return new NexusError('BACKEND_ERROR', `Sprite ${sprite} of workspace "${workspace}" no longer exists.`, {
    suggestion: `Remove the workspace with \`nexus workspace destroy ${workspace}\` and create it again.`,
    details: { sprite, statusCode: 404 },
  })
}

/** The sprite as the API sees it now, or null when it does not exist. */
export async function findSprite(deps: SpriteDeps, name: string): Promise<Sprite | null> {
  try {
    return await deps.api.call(`look up sprite ${name}`, (client) => client.getSprite(name))
  } catch (error) {
    if (isNotFound(error) || (error as NexusErrorLike).details?.statusCode === 404) return null
    throw error
  }
}

export async function requireSprite(deps: SpriteDeps, name: string, workspace: string): Promise<Sprite> {
  const sprite = await findSprite(deps, name)
  if (!sprite) throw spriteGone(name, workspace)
  return sprite
}

/** A refused exec WebSocket says nothing useful; asking the REST API for the sprite says why (401, 404, offline). */
export function diagnoseFor(deps: SpriteDeps, name: string, workspace: string): Diagnose {
  return async (error) => {
    try {
      await requireSprite(deps, name, workspace)
    } catch (mapped) {
      return mapped as NexusErrorLike
    }
    return deps.api.errorFor(error, `run a command in sprite ${name}`)
  }
}
