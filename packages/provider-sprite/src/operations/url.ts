import type { JsonObject, Workspace } from '@nexus/core'
import { requireSprite, type SpriteDeps } from '../workspace/deps.js'
import { spriteOf } from '../workspace/naming.js'

export interface UrlView extends JsonObject {
  workspace: string
  url: string | null
  auth: string
}

/** The sprite's URL (port 8080 inside, or the service with an http port); `auth` changes who may open it. */
export async function spriteUrl(
  deps: SpriteDeps,
  workspace: Workspace,
  auth: string | undefined,
): Promise<UrlView> {
  const { sprite: name } = spriteOf(workspace)
  let sprite = await requireSprite(deps, name, workspace.name)
  if (auth !== undefined && sprite.urlSettings?.auth !== auth) {
    sprite = await deps.api.call(`change the URL access of sprite ${name}`, (client) =>
      client.updateSprite(name, { urlSettings: { auth } }),
    )
  }
  return {
    workspace: workspace.name,
    url: sprite.url ?? null,
    auth: sprite.urlSettings?.auth ?? auth ?? 'sprite',
  }
}
