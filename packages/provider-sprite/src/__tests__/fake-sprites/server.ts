import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import { handleCheckpoints } from './checkpoints-routes.js'
import { handleFs } from './fs-routes.js'
import { sendError, sendJson } from './http.js'
import { handleServices, stopAllServices } from './services-routes.js'
import { killSession, killSessions, listSessions, runExecSocket } from './sessions.js'
import { handleSprites } from './sprites-routes.js'
import { FakeState } from './state.js'

export interface FakeSprites {
  /** The base URL to hand the SDK (`baseURL`) or nexus (`SPRITES_API_URL`). */
  url: string
  state: FakeState
  close(): Promise<void>
}

/**
 * A local stand-in for api.sprites.dev that the unmodified `@fly/sprites` SDK talks to: REST over node:http, exec
 * over a WebSocket with the SDK's byte framing, NDJSON streams for checkpoints, services and kills. It checks the
 * Bearer token on every request and on the WebSocket upgrade.
 */
export async function startFakeSprites(options: { token: string }): Promise<FakeSprites> {
  const baseDir = await mkdtemp(join(tmpdir(), 'nexus-fake-sprites-'))
  const state = new FakeState(baseDir, options.token)
  const sockets = new WebSocketServer({ noServer: true })
  const server = createServer((request, response) => {
    route(state, request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, 'internal', String(error))
      else response.end()
    })
  })

  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://fake')
    const refusal = gate(state, request, url)
    const [, , , name, channel] = url.pathname.split('/')
    const sprite = name ? state.sprites.get(decodeURIComponent(name)) : undefined
    const status = refusal?.status ?? (sprite && channel === 'exec' ? 0 : 404)
    if (status !== 0 || !sprite) {
      // Like the real API: a refused upgrade is a plain HTTP response, which the SDK sees only as "non-101".
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      runExecSocket(state, sprite, ws, url).catch(() => ws.close(1011, 'fake exec failed'))
    })
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    async close() {
      for (const sprite of state.sprites.values()) {
        killSessions(sprite)
        stopAllServices(sprite)
      }
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await rm(baseDir, { recursive: true, force: true })
    },
  }
}

/** Records the request and answers 401 or an injected failure, when one applies. */
function gate(
  state: FakeState,
  request: IncomingMessage,
  url: URL,
): { status: number; headers?: Record<string, string>; body: Record<string, unknown> } | undefined {
  const method = request.method ?? 'GET'
  const authorized = request.headers.authorization === `Bearer ${state.token}`
  state.requests.push({ method, path: url.pathname, authorized })
  if (!authorized)
    return { status: 401, body: { error: 'unauthorized', message: 'Invalid or missing token' } }
  const failure = state.takeFailure(method, url.pathname)
  if (failure)
    return {
      status: failure.status,
      body: failure.body,
      ...(failure.headers ? { headers: failure.headers } : {}),
    }
  return undefined
}

async function route(state: FakeState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake')
  const refusal = gate(state, request, url)
  if (refusal) {
    response.writeHead(refusal.status, { 'content-type': 'application/json', ...refusal.headers })
    response.end(JSON.stringify(refusal.body))
    return
  }
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
  if (parts[0] !== 'v1' || parts[1] !== 'sprites')
    return sendError(response, 404, 'not_found', 'no such route')
  const name = parts[2]
  const rest = parts.slice(3)
  if (rest.length === 0) return handleSprites(state, request, response, url, name)
  const sprite = name ? state.sprites.get(name) : undefined
  if (!sprite) return sendError(response, 404, 'not_found', `sprite ${name ?? ''} not found`)
  switch (rest[0]) {
    case 'exec':
      if (rest.length === 1 && request.method === 'GET') return listSessions(sprite, response)
      if (rest[2] === 'kill' && rest[1])
        return killSession(sprite, rest[1], url.searchParams.get('signal') ?? 'TERM', response)
      return sendError(response, 404, 'not_found', 'no such exec route')
    case 'fs':
      return handleFs(state, sprite, rest[1] ?? '', request, response, url)
    case 'checkpoint':
    case 'checkpoints':
      return handleCheckpoints(state, sprite, request, response, rest)
    case 'services':
      return handleServices(state, sprite, request, response, rest)
    case 'check':
      return sendJson(response, 200, {
        sprite_name: sprite.name,
        sprite_id: sprite.id,
        status: 'ok',
        checked_at: new Date().toISOString(),
      })
    default:
      return sendError(response, 404, 'not_found', `no route ${rest[0] ?? ''}`)
  }
}
