import { rm } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { fail, json, type FakeRequest } from './http.js'
import type { FakeDaytonaState } from './state.js'

/** `/api/snapshots…`: the snapshot templates sandboxes start from. */
export async function snapshotRoutes(
  state: FakeDaytonaState,
  request: FakeRequest,
  res: ServerResponse,
  parts: string[],
): Promise<void> {
  if (request.method === 'GET' && parts.length === 0) {
    const source = request.url.searchParams.get('sourceSandboxId')
    const page = Number(request.url.searchParams.get('page') ?? 1)
    const limit = Number(request.url.searchParams.get('limit') ?? 100)
    const all = [...state.snapshots.values()].filter((s) => !source || s.sourceSandboxId === source)
    const items = all.slice((page - 1) * limit, page * limit).map((s) => state.snapshotDto(s))
    return json(res, 200, {
      items,
      total: all.length,
      page,
      totalPages: Math.max(1, Math.ceil(all.length / limit)),
    })
  }
  const key = decodeURIComponent(parts[0] ?? '')
  const snapshot = state.snapshots.get(key) ?? [...state.snapshots.values()].find((s) => s.name === key)
  if (!snapshot) return fail(res, 404, `Snapshot ${key} not found`)
  if (request.method === 'GET' && parts.length === 1) return json(res, 200, state.snapshotDto(snapshot))
  if (request.method === 'DELETE' && parts.length === 1) {
    state.snapshots.delete(snapshot.id)
    if (snapshot.dir) await rm(snapshot.dir, { recursive: true, force: true })
    return json(res, 200, {})
  }
  fail(res, 404, `Cannot ${request.method} /api/snapshots/${parts.join('/')}`)
}
