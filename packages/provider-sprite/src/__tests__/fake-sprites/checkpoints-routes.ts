import { cp, mkdir, rm } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { readJson, sendError, sendJson, sendNdjson } from './http.js'
import { killSessions } from './sessions.js'
import type { FakeSprite, FakeState } from './state.js'

/**
 * Checkpoints copy the sprite's whole scratch root; restore kills the sessions (as a VM restart does) and copies it
 * back. Failures are streamed as `{type:"error"}` with a 200 status, as the real API does.
 */
export async function handleCheckpoints(
  state: FakeState,
  sprite: FakeSprite,
  request: IncomingMessage,
  response: ServerResponse,
  rest: string[],
): Promise<void> {
  const method = request.method ?? 'GET'
  if (rest[0] === 'checkpoint' && method === 'POST') return createCheckpoint(state, sprite, request, response)
  if (rest[0] !== 'checkpoints') return sendError(response, 404, 'not_found', 'no such route')
  const id = rest[1]
  if (id === undefined && method === 'GET') {
    const current = {
      id: 'Current',
      create_time: new Date().toISOString(),
      comment: '',
      is_auto: false,
      health: '',
    }
    return sendJson(response, 200, [...sprite.checkpoints.map(checkpointJson), current])
  }
  const checkpoint = sprite.checkpoints.find((c) => c.id === id)
  if (!checkpoint) return sendError(response, 404, 'not_found', `checkpoint ${id ?? ''} not found`)
  if (rest[2] === undefined && method === 'GET') return sendJson(response, 200, checkpointJson(checkpoint))
  if (rest[2] === 'restore' && method === 'POST') {
    if (state.failNextRestore !== null) {
      const message = state.failNextRestore
      state.failNextRestore = null
      return sendNdjson(response, [
        { type: 'info', data: `Restoring ${checkpoint.id}` },
        { type: 'error', error: message },
      ])
    }
    killSessions(sprite)
    await rm(sprite.root, { recursive: true, force: true })
    await cp(join(sprite.checkpointDir, checkpoint.id), sprite.root, { recursive: true })
    sprite.status = 'warm'
    return sendNdjson(response, [
      { type: 'info', data: `Restoring ${checkpoint.id}` },
      { type: 'complete', data: `Restored to ${checkpoint.id}` },
    ])
  }
  sendError(response, 405, 'method_not_allowed', `${method} is not allowed here`)
}

async function createCheckpoint(
  state: FakeState,
  sprite: FakeSprite,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = await readJson(request)
  if (state.failNextCheckpoint !== null) {
    const message = state.failNextCheckpoint
    state.failNextCheckpoint = null
    return sendNdjson(response, [
      { type: 'info', data: 'Creating checkpoint' },
      { type: 'error', error: message },
    ])
  }
  const id = `v${sprite.checkpoints.length + 1}`
  await mkdir(sprite.checkpointDir, { recursive: true })
  await cp(sprite.root, join(sprite.checkpointDir, id), { recursive: true })
  sprite.checkpoints.push({
    id,
    comment: typeof body.comment === 'string' ? body.comment : '',
    createTime: new Date().toISOString(),
  })
  sendNdjson(response, [
    { type: 'info', data: 'Creating checkpoint' },
    { type: 'complete', data: `Checkpoint ${id} created` },
  ])
}

function checkpointJson(checkpoint: {
  id: string
  comment: string
  createTime: string
}): Record<string, unknown> {
  return {
    id: checkpoint.id,
    create_time: checkpoint.createTime,
    comment: checkpoint.comment,
    is_auto: false,
    source_id: '',
    health: '',
  }
}
