import { spawn } from 'node:child_process'
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { dirname, isAbsolute, join, posix, relative, resolve } from 'node:path'
import { bodyJson, fail, json, type FakeRequest } from './http.js'
import type { FakeDaytonaState, FakeSandbox } from './state.js'

/**
 * The toolbox (Daytona's in-sandbox daemon), at `/toolbox/<sandbox id>/…`. The sandbox's filesystem is a scratch
 * directory: absolute paths must lie inside it (the fake reports its home as `<scratch>/home/daytona`, so the
 * provider only ever uses paths it got from the sandbox), relative ones are under that home.
 */
export async function toolboxRoutes(
  state: FakeDaytonaState,
  request: FakeRequest,
  res: ServerResponse,
  parts: string[],
): Promise<void> {
  const sandbox = state.sandboxes.get(parts[0] ?? '')
  if (!sandbox) return fail(res, 404, `Sandbox ${parts[0]} not found`)
  if (sandbox.state !== 'started') {
    return fail(
      res,
      400,
      `bad request: failed to get runner info: sandbox is ${sandbox.state}. Is the Sandbox started?`,
    )
  }
  const route = `${request.method} ${parts.slice(1).join('/')}`
  const home = state.homeOf(sandbox)
  const path = (p: string | null | undefined): string => inside(sandbox, home, p ?? '')
  try {
    switch (route) {
      case 'GET user-home-dir':
      case 'GET work-dir':
        return json(res, 200, { dir: home })
      case 'POST process/execute': {
        const body = bodyJson<{ command: string; cwd?: string; envs?: Record<string, string> }>(request)
        return json(res, 200, await execute(body.command, body.cwd ? path(body.cwd) : home, home, body.envs))
      }
      case 'POST files/bulk-upload':
        await bulkUpload(request, path)
        return json(res, 200, {})
      case 'POST files/bulk-download':
        return bulkDownload(res, bodyJson<{ paths: string[] }>(request).paths, path)
      case 'GET files': {
        // Entries carry paths as the caller named the directory, not as this machine's scratch paths.
        const asked = request.url.searchParams.get('path') ?? ''
        const dir = path(asked)
        const entries = await listFiles(dir, Number(request.url.searchParams.get('depth') ?? 1))
        return json(
          res,
          200,
          entries.map((entry) => ({ ...entry, path: posix.join(asked, relative(dir, String(entry.path))) })),
        )
      }
      case 'GET files/info': {
        const target = path(request.url.searchParams.get('path'))
        const info = await stat(target).catch(() => undefined)
        if (!info)
          return fail(res, 404, `file not found: ${request.url.searchParams.get('path')}`, 'FILE_NOT_FOUND')
        return json(res, 200, fileInfo(target, info.isDirectory(), info.size, info.mtime))
      }
      case 'POST lsp/start':
      case 'POST lsp/stop': {
        const body = bodyJson<{ languageId: string; pathToProject: string }>(request)
        if (route === 'POST lsp/start') sandbox.lsp.push(body)
        else
          sandbox.lsp = sandbox.lsp.filter(
            (s) => s.languageId !== body.languageId || s.pathToProject !== body.pathToProject,
          )
        return json(res, 200, {})
      }
      default:
        return fail(res, 404, `Cannot ${route}`)
    }
  } catch (error) {
    return fail(res, 400, (error as Error).message)
  }
}

function inside(sandbox: FakeSandbox, home: string, p: string): string {
  // The sandbox's filesystem is a scratch directory on this machine: its own paths (which the fake hands out, e.g.
  // the work dir) are used as they are, and any other absolute path is read as one inside the sandbox.
  const hostPath = isAbsolute(p) && (p === sandbox.root || p.startsWith(`${sandbox.root}/`))
  const target = hostPath ? resolve(p) : isAbsolute(p) ? resolve(sandbox.root, `.${p}`) : resolve(home, p)
  if (target !== sandbox.root && !target.startsWith(`${sandbox.root}/`))
    throw new Error(`path ${p} is outside the sandbox`)
  return target
}

/** Runs the command for real; stdout and stderr interleave into one result, as Daytona's daemon returns them. */
function execute(
  command: string,
  cwd: string,
  home: string,
  envs?: Record<string, string>,
): Promise<{ exitCode: number; result: string }> {
  return new Promise((done) => {
    const child = spawn('sh', ['-c', command], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...envs },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let result = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (result += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (result += chunk))
    child.on('error', (error) => done({ exitCode: 127, result: error.message }))
    child.on('close', (code, signal) => done({ exitCode: code ?? (signal ? 137 : 1), result }))
  })
}

/** Parses the SDK's multipart body (`files[i].path` + `files[i].file`) with the platform's own parser. */
async function bulkUpload(request: FakeRequest, path: (p: string) => string): Promise<void> {
  const form = await new Request('http://fake/upload', {
    method: 'POST',
    headers: { 'content-type': String(request.headers['content-type']) },
    body: request.body,
  }).formData()
  for (const [key, value] of form.entries()) {
    const match = /^files\[(\d+)\]\.path$/.exec(key)
    if (!match || typeof value !== 'string') continue
    const file = form.get(`files[${match[1]}].file`)
    if (!file || typeof file === 'string') throw new Error(`files[${match[1]}].file is missing`)
    const target = path(value)
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, Buffer.from(await file.arrayBuffer()))
  }
}

async function bulkDownload(
  res: ServerResponse,
  paths: string[],
  path: (p: string) => string,
): Promise<void> {
  const boundary = `fake-daytona-${Date.now().toString(16)}`
  const parts: Buffer[] = []
  for (const requested of paths) {
    let content: Buffer | undefined
    try {
      content = await readFile(path(requested))
    } catch {
      content = undefined
    }
    const field = content ? 'file' : 'error'
    const body =
      content ??
      Buffer.from(
        JSON.stringify({
          message: `file not found: ${requested}`,
          statusCode: 404,
          code: 'FILE_NOT_FOUND',
          source: 'DAYTONA_DAEMON',
        }),
      )
    const type = content ? 'application/octet-stream' : 'application/json'
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${requested}"\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n`,
      ),
      body,
      Buffer.from('\r\n'),
    )
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  const payload = Buffer.concat(parts)
  res.writeHead(200, {
    'content-type': `multipart/form-data; boundary=${boundary}`,
    'content-length': payload.length,
  })
  res.end(payload)
}

function fileInfo(target: string, isDir: boolean, size: number, mtime: Date): Record<string, unknown> {
  return {
    name: target.split('/').pop() ?? '',
    path: target,
    isDir,
    size,
    mode: isDir ? 'drwxr-xr-x' : '-rw-r--r--',
    permissions: isDir ? '0755' : '0644',
    owner: 'daytona',
    group: 'daytona',
    modTime: mtime.toISOString(),
    modifiedAt: mtime.toISOString(),
  }
}

async function listFiles(dir: string, depth: number): Promise<Array<Record<string, unknown>>> {
  const found: Array<Record<string, unknown>> = []
  const walk = async (current: string, level: number): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = join(current, entry.name)
      const info = await stat(full)
      found.push(fileInfo(full, entry.isDirectory(), info.size, info.mtime))
      if (entry.isDirectory() && level < depth) await walk(full, level + 1)
    }
  }
  await walk(dir, 1)
  return found.sort((a, b) => relative(dir, String(a.path)).localeCompare(relative(dir, String(b.path))))
}
