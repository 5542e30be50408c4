import { spawn } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readJson, sendError, sendJson, sendNdjson } from './http.js'
import type { FakeService, FakeSprite, FakeState } from './state.js'

/** `/v1/sprites/{name}/services[/{svc}[/start|stop|logs]]`: processes run on this host, logs kept in memory. */
export async function handleServices(
  state: FakeState,
  sprite: FakeSprite,
  request: IncomingMessage,
  response: ServerResponse,
  rest: string[],
): Promise<void> {
  const method = request.method ?? 'GET'
  const name = rest[1]
  if (name === undefined && method === 'GET')
    return sendJson(response, 200, [...sprite.services.values()].map(serviceJson))
  if (name === undefined) return sendError(response, 405, 'method_not_allowed', 'not here')
  if (rest[2] === undefined && method === 'PUT') {
    const body = await readJson(request)
    const service: FakeService = {
      name,
      cmd: String(body.cmd ?? ''),
      args: Array.isArray(body.args) ? body.args.map(String) : [],
      dir: typeof body.dir === 'string' ? body.dir : undefined,
      httpPort: typeof body.http_port === 'number' ? body.http_port : undefined,
      status: 'stopped',
      process: undefined,
      logs: [],
    }
    sprite.services.get(name)?.process?.kill('SIGKILL')
    sprite.services.set(name, service)
    await startService(state, sprite, service)
    return sendNdjson(response, [
      { type: 'started', timestamp: Date.now() },
      { type: 'complete', timestamp: Date.now() },
    ])
  }
  const service = sprite.services.get(name)
  if (!service) return sendError(response, 404, 'not_found', `service ${name} not found`)
  if (rest[2] === undefined && method === 'GET') return sendJson(response, 200, serviceJson(service))
  if (rest[2] === undefined && method === 'DELETE') {
    service.process?.kill('SIGKILL')
    sprite.services.delete(name)
    response.writeHead(204).end()
    return
  }
  if (rest[2] === 'start' && method === 'POST') {
    if (service.status !== 'running') await startService(state, sprite, service)
    return sendNdjson(response, [
      { type: 'started', timestamp: Date.now() },
      { type: 'complete', timestamp: Date.now() },
    ])
  }
  if (rest[2] === 'stop' && method === 'POST') {
    if (service.status !== 'running')
      return sendError(response, 409, 'not_running', `service ${name} is not running`)
    await stopService(service)
    return sendNdjson(response, [
      { type: 'stopped', timestamp: Date.now() },
      { type: 'complete', timestamp: Date.now() },
    ])
  }
  if (rest[2] === 'logs' && method === 'GET') {
    const lines = service.logs.map((data) => ({ type: 'stdout', data, timestamp: Date.now() }))
    return sendNdjson(response, [...lines, { type: 'complete', timestamp: Date.now() }])
  }
  sendError(response, 405, 'method_not_allowed', `${method} is not allowed here`)
}

async function startService(state: FakeState, sprite: FakeSprite, service: FakeService): Promise<void> {
  const cwd = state.hostPath(sprite, service.dir ?? '/home/sprite')
  await mkdir(cwd, { recursive: true })
  const child = spawn(service.cmd, service.args, {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: state.hostPath(sprite, '/home/sprite') },
  })
  service.process = child
  service.status = 'running'
  const keep = (data: Buffer): void => {
    service.logs.push(data.toString('utf8'))
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  child.once('error', () => (service.status = 'failed'))
  child.once('exit', () => {
    if (service.process === child) service.status = service.status === 'running' ? 'failed' : service.status
  })
}

async function stopService(service: FakeService): Promise<void> {
  const child = service.process
  service.status = 'stopped'
  service.process = undefined
  if (!child || child.exitCode !== null) return
  await new Promise((resolve) => {
    child.once('exit', resolve)
    child.kill('SIGTERM')
  })
}

export function stopAllServices(sprite: FakeSprite): void {
  for (const service of sprite.services.values()) {
    service.status = 'stopped'
    service.process?.kill('SIGKILL')
  }
}

function serviceJson(service: FakeService): Record<string, unknown> {
  return {
    name: service.name,
    cmd: service.cmd,
    args: service.args,
    dir: service.dir,
    needs: [],
    http_port: service.httpPort,
    state: { name: service.name, status: service.status, pid: service.process?.pid },
  }
}
