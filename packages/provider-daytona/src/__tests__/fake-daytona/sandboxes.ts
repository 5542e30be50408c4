import { cp, mkdir, rm } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { join } from 'node:path'
import { bodyJson, fail, json, type FakeRequest } from './http.js'
import type { FakeDaytonaState, FakeSandbox } from './state.js'

interface CreateBody {
  name?: string
  snapshot?: string
  buildInfo?: { dockerfileContent?: string }
  env?: Record<string, string>
  labels?: Record<string, string>
  public?: boolean
  target?: string
  cpu?: number
  memory?: number
  disk?: number
  autoStopInterval?: number
}

/** The regions this fake "has"; any other target is refused as Daytona refuses unknown regions. */
export const FAKE_REGIONS = ['us', 'eu']

async function createSandbox(
  state: FakeDaytonaState,
  request: FakeRequest,
  res: ServerResponse,
): Promise<void> {
  const body = bodyJson<CreateBody>(request)
  const target = body.target ?? 'us'
  if (!FAKE_REGIONS.includes(target)) return fail(res, 400, `Region ${target} is not available`)
  if ((body.cpu ?? 1) > 4 || (body.memory ?? 1) > 8 || (body.disk ?? 3) > 10)
    return fail(res, 403, 'Total CPU quota exceeded. Maximum allowed: 4', 'Forbidden')
  const name = body.name ?? `sandbox-${state.sandboxes.size + 1}`
  if ([...state.sandboxes.values()].some((s) => s.name === name))
    return fail(res, 409, `Sandbox with name ${name} already exists`, 'Conflict')
  let source: string | null = null
  if (body.snapshot) {
    const snapshot = [...state.snapshots.values()].find(
      (s) => s.name === body.snapshot || s.id === body.snapshot,
    )
    if (!snapshot) return fail(res, 404, `Snapshot ${body.snapshot} not found`)
    source = snapshot.dir
  }
  const id = state.newSandboxId()
  const root = join(state.scratch, 'sandboxes', id)
  if (source) await cp(source, root, { recursive: true })
  await mkdir(join(root, 'home', 'daytona'), { recursive: true })
  const sandbox: FakeSandbox = {
    id,
    name,
    labels: body.labels ?? {},
    env: body.env ?? {},
    state: body.buildInfo ? 'pending_build' : body.snapshot ? 'pulling_snapshot' : 'creating',
    target,
    cpu: body.cpu ?? 1,
    memory: body.memory ?? 1,
    disk: body.disk ?? 3,
    snapshot: body.snapshot ?? 'daytonaio/sandbox:0.4.3',
    autoStopInterval: body.autoStopInterval ?? 15,
    public: body.public ?? false,
    createdAt: new Date().toISOString(),
    root,
    lsp: [],
    signedPreviews: new Map(),
  }
  state.sandboxes.set(id, sandbox)
  const path = body.buildInfo
    ? ['building_snapshot', 'creating', 'started']
    : body.snapshot
      ? ['creating', 'started']
      : ['started']
  state.walk(sandbox, path)
  json(res, 200, state.dto(sandbox))
}

function findSandbox(state: FakeDaytonaState, idOrName: string): FakeSandbox | undefined {
  return state.sandboxes.get(idOrName) ?? [...state.sandboxes.values()].find((s) => s.name === idOrName)
}

function list(state: FakeDaytonaState, request: FakeRequest, res: ServerResponse): void {
  const labels = request.url.searchParams.get('labels')
  const wanted = labels ? (JSON.parse(labels) as Record<string, string>) : {}
  const items = [...state.sandboxes.values()]
    .filter((s) => Object.entries(wanted).every(([k, v]) => s.labels[k] === v))
    .map((s) => state.dto(s))
  json(res, 200, { items, nextCursor: null })
}

/** `/api/sandbox…`: lifecycle, SSH access, previews, sandbox snapshots. */
export async function sandboxRoutes(
  state: FakeDaytonaState,
  request: FakeRequest,
  res: ServerResponse,
  parts: string[],
): Promise<void> {
  const { method } = request
  if (parts.length === 0) {
    if (method === 'POST') return createSandbox(state, request, res)
    if (method === 'GET') return list(state, request, res)
  }
  if (parts[0] === 'ssh-access' && parts[1] === 'validate') {
    const token = request.url.searchParams.get('token') ?? ''
    const grant = state.validGrant(token)
    return json(res, 200, { valid: grant !== undefined, sandboxId: grant?.sandboxId ?? '' })
  }
  const sandbox = findSandbox(state, parts[0] ?? '')
  if (!sandbox) return fail(res, 404, `Sandbox with ID or name ${parts[0]} not found`)
  const action = parts.slice(1).join('/')
  if (method === 'GET' && action === '') return json(res, 200, state.dto(sandbox))
  if (method === 'DELETE' && action === '') {
    sandbox.state = 'destroying'
    setTimeout(() => {
      state.sandboxes.delete(sandbox.id)
      state.deletedSandboxes.push(sandbox.id)
      void rm(sandbox.root, { recursive: true, force: true })
    }, state.stepMs).unref()
    return json(res, 200, state.dto(sandbox))
  }
  if (method === 'POST' && action === 'start') {
    if (sandbox.state !== 'started') {
      sandbox.state = 'starting'
      state.walk(sandbox, ['started'])
    }
    return json(res, 200, state.dto(sandbox))
  }
  if (method === 'POST' && action === 'stop') {
    if (sandbox.state !== 'stopped') {
      sandbox.state = 'stopping'
      state.walk(sandbox, ['stopped'])
    }
    return json(res, 200, state.dto(sandbox))
  }
  if (method === 'POST' && action === 'snapshot') return snapshotSandbox(state, sandbox, request, res)
  if (action === 'ssh-access') {
    if (method === 'POST') {
      const minutes = Number(request.url.searchParams.get('expiresInMinutes') ?? 60)
      const token = state.newToken()
      const expiresAt = Date.now() + minutes * 60_000
      state.grants.set(token, { token, sandboxId: sandbox.id, expiresAt })
      const now = new Date().toISOString()
      return json(res, 200, {
        id: state.newSandboxId(),
        sandboxId: sandbox.id,
        token,
        expiresAt: new Date(expiresAt).toISOString(),
        createdAt: now,
        updatedAt: now,
        sshCommand: `ssh -p ${state.sshPort} ${token}@127.0.0.1`,
      })
    }
    if (method === 'DELETE') {
      const token = request.url.searchParams.get('token')
      if (token) {
        state.grants.delete(token)
        state.revokedTokens.push(token)
      }
      return json(res, 200, state.dto(sandbox))
    }
  }
  const port = parts[1] === 'ports' ? Number(parts[2]) : NaN
  if (method === 'GET' && action === `ports/${port}/preview-url`) {
    return json(res, 200, {
      sandboxId: sandbox.id,
      url: `https://${port}-${sandbox.id}.proxy.daytona.test`,
      token: `preview-${sandbox.id.slice(0, 8)}`,
    })
  }
  if (method === 'GET' && action === `ports/${port}/signed-preview-url`) {
    const token = state.newToken()
    sandbox.signedPreviews.set(token, port)
    return json(res, 200, {
      sandboxId: sandbox.id,
      port,
      token,
      url: `https://${port}-${token}.proxy.daytona.test`,
    })
  }
  if (method === 'POST' && parts[3] === 'signed-preview-url' && parts[5] === 'expire') {
    sandbox.signedPreviews.delete(parts[4] ?? '')
    return json(res, 200, {})
  }
  if (method === 'POST' && parts[1] === 'autostop') {
    sandbox.autoStopInterval = Number(parts[2])
    return json(res, 200, state.dto(sandbox))
  }
  fail(res, 404, `Cannot ${method} /api/sandbox/${parts.join('/')}`)
}

async function snapshotSandbox(
  state: FakeDaytonaState,
  sandbox: FakeSandbox,
  request: FakeRequest,
  res: ServerResponse,
): Promise<void> {
  const { name } = bodyJson<{ name?: string }>(request)
  if (!name) return fail(res, 400, 'name must be a string')
  if ([...state.snapshots.values()].some((s) => s.name === name))
    return fail(res, 409, `Snapshot ${name} already exists`, 'Conflict')
  const id = state.newSandboxId()
  const dir = join(state.scratch, 'snapshots', id)
  await cp(sandbox.root, dir, { recursive: true })
  state.snapshots.set(id, {
    id,
    name,
    state: 'active',
    dir,
    sourceSandboxId: sandbox.id,
    createdAt: new Date().toISOString(),
  })
  const previous = sandbox.state
  sandbox.state = 'snapshotting'
  state.walk(sandbox, [previous])
  json(res, 200, state.dto(sandbox))
}
