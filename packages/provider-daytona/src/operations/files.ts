import { mkdir, readdir, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { NexusError, type JsonValue, type Workspace } from '@nexus/core'
import type { Sandbox } from '../client/sdk.js'
import { uploadFiles } from '../sandbox/code.js'
import type { Sandboxes } from '../sandbox/sandboxes.js'

/** A path in the sandbox: relative ones are under the workspace's code directory. */
export function remotePath(workdir: string, path: string): string {
  if (path.startsWith('/')) return path.replace(/\/+$/, '') || '/'
  const clean = path.replace(/^\.\/?/, '').replace(/\/+$/, '')
  return clean === '' ? workdir : `${workdir}/${clean}`
}

async function localFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort()
}

export async function uploadPath(
  sandboxes: Sandboxes,
  workspace: Workspace,
  sandbox: Sandbox,
  workdir: string,
  local: string,
  remote: string,
): Promise<JsonValue> {
  const source = resolve(local)
  const info = await stat(source).catch(() => undefined)
  if (!info) {
    throw new NexusError('INVALID_ARGUMENT', `${source} does not exist.`, {
      suggestion: 'Check the local path; it is relative to the current directory.',
    })
  }
  const destination = remotePath(workdir, remote)
  if (info.isFile()) {
    await sandboxes.call(`upload ${source} to workspace "${workspace.name}"`, workspace, () =>
      sandbox.fs.uploadFiles([{ source, destination }]),
    )
    return { workspace: workspace.name, local: source, remote: destination, files: 1, bytes: info.size }
  }
  const files = await localFiles(source)
  await uploadFiles(sandboxes, workspace, sandbox, source, destination, files)
  const bytes = (await Promise.all(files.map((file) => stat(join(source, file))))).reduce(
    (sum, s) => sum + s.size,
    0,
  )
  return { workspace: workspace.name, local: source, remote: destination, files: files.length, bytes }
}

export async function downloadPath(
  sandboxes: Sandboxes,
  workspace: Workspace,
  sandbox: Sandbox,
  workdir: string,
  remote: string,
  local: string,
): Promise<JsonValue> {
  const source = remotePath(workdir, remote)
  const target = resolve(local)
  const action = `download ${source} from workspace "${workspace.name}"`
  const details = await sandboxes.call(action, workspace, () => sandbox.fs.getFileDetails(source))
  const pairs: Array<{ remote: string; local: string }> = []
  if (details.isDir) {
    const listing = await sandboxes.call(action, workspace, () => sandbox.fs.listFiles(source, { depth: 64 }))
    for (const entry of listing) {
      if (entry.isDir) continue
      const path = entry.path ?? `${source}/${entry.name}`
      const inside = relative(source, path)
      // The listing comes from the server: a path outside the directory asked for must not write outside `local`.
      if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
        throw new NexusError('BACKEND_ERROR', `Daytona listed ${path}, which is not inside ${source}.`, {
          suggestion: `Download the files one by one with \`nexus workspace provider daytona file download ${workspace.name} <remote file> <local>\`.`,
        })
      }
      pairs.push({ remote: path, local: join(target, inside) })
    }
  } else {
    // Like cp: a file downloaded onto an existing directory lands inside it.
    const into = await stat(target).then(
      (s) => s.isDirectory(),
      () => false,
    )
    pairs.push({ remote: source, local: into ? join(target, basename(source)) : target })
  }
  let bytes = 0
  const responses = pairs.length
    ? await sandboxes.call(action, workspace, () =>
        sandbox.fs.downloadFiles(pairs.map((pair) => ({ source: pair.remote }))),
      )
    : []
  for (const [index, response] of responses.entries()) {
    const pair = pairs[index]
    if (!pair) continue
    if (response.error || !Buffer.isBuffer(response.result)) {
      throw new NexusError(
        'BACKEND_ERROR',
        `Could not download ${pair.remote}: ${response.error ?? 'no content'}.`,
        {
          suggestion: `Check the path with \`nexus workspace exec ${workspace.name} -- ls -la ${pair.remote}\`.`,
        },
      )
    }
    await mkdir(dirname(pair.local), { recursive: true })
    await writeFile(pair.local, response.result)
    bytes += response.result.length
  }
  return { workspace: workspace.name, remote: source, local: target, files: pairs.length, bytes }
}
