import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { dirname } from 'node:path'
import { readBody, sendJson } from './http.js'
import type { FakeSprite, FakeState } from './state.js'

function fsError(response: ServerResponse, status: number, code: string, path: string): void {
  sendJson(response, status, { error: `${code}: ${path}`, code, path })
}

function errnoOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'EIO'
}

/** `/v1/sprites/{name}/fs/{read|write|list|delete}` with the query parameters the SDK sends. */
export async function handleFs(
  state: FakeState,
  sprite: FakeSprite,
  operation: string,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const path = url.searchParams.get('path') ?? ''
  const hostPath = state.hostPath(sprite, path, url.searchParams.get('workingDir') ?? '/')
  try {
    if (operation === 'read' && request.method === 'GET') {
      const data = await readFile(hostPath)
      response.writeHead(200, { 'content-type': 'application/octet-stream' })
      response.end(data)
      return
    }
    if (operation === 'write' && request.method === 'PUT') {
      const body = await readBody(request)
      if (url.searchParams.get('mkdirParents') === 'true') await mkdir(dirname(hostPath), { recursive: true })
      const mode = url.searchParams.get('mode')
      await writeFile(hostPath, body, mode ? { mode: parseInt(mode, 8) } : {})
      return sendJson(response, 200, { path, size: body.length, mode: mode ?? '0644' })
    }
    if (operation === 'list' && request.method === 'GET') {
      const info = await stat(hostPath)
      const names = info.isDirectory() ? await readdir(hostPath) : [hostPath.split('/').pop() ?? '']
      const base = info.isDirectory() ? hostPath : dirname(hostPath)
      const entries = await Promise.all(
        names.map(async (name) => {
          const entry = await stat(`${base}/${name}`)
          return {
            name,
            path: `${path.replace(/\/$/, '')}/${name}`,
            type: entry.isDirectory() ? 'directory' : 'file',
            size: entry.size,
            mode: (entry.mode & 0o777).toString(8),
            modTime: entry.mtime.toISOString(),
            isDir: entry.isDirectory(),
          }
        }),
      )
      return sendJson(response, 200, { path, entries, count: entries.length })
    }
    if (operation === 'delete' && request.method === 'DELETE') {
      await stat(hostPath)
      await rm(hostPath, { recursive: url.searchParams.get('recursive') === 'true' })
      return sendJson(response, 200, { deleted: [path], count: 1 })
    }
    fsError(response, 400, 'EINVAL', path)
  } catch (error) {
    const code = errnoOf(error)
    fsError(response, code === 'ENOENT' ? 404 : 400, code, path)
  }
}
