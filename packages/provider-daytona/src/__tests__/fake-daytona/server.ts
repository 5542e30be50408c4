import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fail, readBody, type FakeRequest } from './http.js'
import { sandboxRoutes } from './sandboxes.js'
import { snapshotRoutes } from './snapshots.js'
import { startFakeSshGateway } from './ssh.js'
import { FakeDaytonaState } from './state.js'
import { toolboxRoutes } from './toolbox.js'

export interface FakeDaytona {
  /** What to pass as `api_url` / DAYTONA_API_URL. */
  apiUrl: string
  apiKey: string
  state: FakeDaytonaState
  close(): Promise<void>
}

/**
 * A local stand-in for Daytona: the main API under `/api`, the toolbox under `/toolbox/<id>`, and the SSH gateway
 * on its own port. The real SDK talks to it; only 127.0.0.1 is ever contacted.
 */
export async function startFakeDaytona(options: { apiKey?: string } = {}): Promise<FakeDaytona> {
  const apiKey = options.apiKey ?? 'fake-daytona-key'
  const scratch = await mkdtemp(join(tmpdir(), 'fake-daytona-'))
  const state = new FakeDaytonaState(apiKey, scratch)
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      url,
      headers: req.headers,
      body: await readBody(req),
    }
    state.requests.push({
      method: request.method,
      path: url.pathname,
      authorization: req.headers.authorization,
    })
    if (req.headers.authorization !== `Bearer ${state.apiKey}`)
      return fail(res, 401, 'Invalid credentials', 'Unauthorized')
    const injected = state.takeFailure(url.pathname)
    if (injected)
      return fail(
        res,
        injected.status,
        injected.message,
        injected.status === 429 ? 'Too Many Requests' : undefined,
      )
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
    if (parts[0] === 'api' && parts[1] === 'sandbox')
      return sandboxRoutes(state, request, res, parts.slice(2))
    if (parts[0] === 'api' && parts[1] === 'snapshots')
      return snapshotRoutes(state, request, res, parts.slice(2))
    if (parts[0] === 'toolbox') return toolboxRoutes(state, request, res, parts.slice(1))
    fail(res, 404, `Cannot ${request.method} ${url.pathname}`)
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      fail(res, 500, (error as Error).message, 'Internal Server Error'),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const gateway = await startFakeSshGateway(state)
  state.apiUrl = `${base}/api`
  state.toolboxUrl = `${base}/toolbox`
  state.sshPort = gateway.port
  return {
    apiUrl: state.apiUrl,
    apiKey,
    state,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await gateway.close()
      await rm(scratch, { recursive: true, force: true })
    },
  }
}
