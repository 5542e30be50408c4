import { rm } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readJson, sendError, sendJson } from './http.js'
import { killSessions } from './sessions.js'
import { stopAllServices } from './services-routes.js'
import type { FakeSprite, FakeState } from './state.js'

/** The sprite as `GET /v1/sprites/{name}` returns it (snake_case, as the SDK maps it). */
export function spriteJson(sprite: FakeSprite): Record<string, unknown> {
  return {
    id: sprite.id,
    name: sprite.name,
    organization: 'fake-org',
    status: sprite.status,
    url: `https://${sprite.name}-fake.sprites.app`,
    url_settings: { auth: sprite.urlAuth },
    labels: sprite.labels,
    created_at: sprite.createdAt,
    updated_at: sprite.createdAt,
    version: 'fake',
  }
}

/** `/v1/sprites` and `/v1/sprites/{name}`: create, list, get, update, delete. */
export async function handleSprites(
  state: FakeState,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  name: string | undefined,
): Promise<void> {
  const method = request.method ?? 'GET'
  if (name === undefined) {
    if (method === 'POST') return createSprite(state, request, response)
    const prefix = url.searchParams.get('prefix') ?? ''
    const sprites = [...state.sprites.values()].filter((sprite) => sprite.name.startsWith(prefix))
    return sendJson(response, 200, { sprites: sprites.map(spriteJson), has_more: false, name: 'fake-org' })
  }
  const sprite = state.sprites.get(name)
  if (!sprite) return sendError(response, 404, 'not_found', `sprite ${name} not found`)
  if (method === 'GET') return sendJson(response, 200, spriteJson(sprite))
  if (method === 'PUT') {
    const body = await readJson(request)
    if (Array.isArray(body.labels)) sprite.labels = body.labels.map(String)
    const settings = body.url_settings as { auth?: unknown } | undefined
    if (settings && typeof settings.auth === 'string') sprite.urlAuth = settings.auth
    return sendJson(response, 200, spriteJson(sprite))
  }
  if (method === 'DELETE') {
    killSessions(sprite)
    stopAllServices(sprite)
    state.sprites.delete(name)
    await rm(sprite.root, { recursive: true, force: true })
    await rm(sprite.checkpointDir, { recursive: true, force: true })
    response.writeHead(204).end()
    return
  }
  sendError(response, 405, 'method_not_allowed', `${method} is not allowed here`)
}

async function createSprite(
  state: FakeState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = await readJson(request)
  const name = typeof body.name === 'string' ? body.name : ''
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name))
    return sendError(response, 400, 'invalid_name', `bad name ${name}`)
  if (state.sprites.has(name))
    return sendError(response, 400, 'already_exists', `sprite ${name} already exists`)
  const labels = Array.isArray(body.labels) ? body.labels.map(String) : []
  const settings = body.url_settings as { auth?: unknown } | undefined
  const sprite = await state.addSprite(
    name,
    labels,
    typeof settings?.auth === 'string' ? settings.auth : 'sprite',
  )
  sendJson(response, 201, spriteJson(sprite))
}
