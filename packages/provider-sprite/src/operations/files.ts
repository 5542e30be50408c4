import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, posix, resolve } from 'node:path'
import { NexusError, type JsonObject, type Workspace } from '@nexus/core'
import type { SpriteDeps } from '../workspace/deps.js'
import { spriteOf } from '../workspace/naming.js'

/** The filesystem API takes at most 16 MiB per write. */
export const MAX_PUSH_BYTES = 16 * 1024 * 1024

export interface FileTransfer extends JsonObject {
  local: string
  remote: string
  bytes: number
}

function remotePath(workdir: string, remote: string): string {
  return posix.resolve(workdir, remote)
}

function fsCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

export async function pushFile(
  deps: SpriteDeps,
  workspace: Workspace,
  local: string,
  remote: string,
): Promise<FileTransfer> {
  const { sprite: name, workdir } = spriteOf(workspace)
  const source = resolve(local)
  const info = await stat(source).catch(() => null)
  if (!info?.isFile()) {
    throw new NexusError('INVALID_ARGUMENT', `${source} is not a file.`, {
      suggestion:
        'Name a local file; to copy a directory, pipe a tar stream: `tar -cf - dir | nexus workspace exec <name> -- tar -xf -`.',
    })
  }
  if (info.size > MAX_PUSH_BYTES) {
    throw new NexusError(
      'INVALID_ARGUMENT',
      `${source} is ${info.size} bytes; the Sprites file API takes at most 16 MiB.`,
      {
        suggestion: `Stream it instead: \`nexus workspace exec ${workspace.name} -- sh -c 'cat > ${remote}' < ${local}\`.`,
      },
    )
  }
  const target = remotePath(workdir, remote)
  const sprite = await deps.api.sprite(name)
  await deps.api.call(`write ${target} in sprite ${name}`, async () =>
    sprite.filesystem('/').writeFile(target, await readFile(source), { mode: info.mode & 0o777 }),
  )
  return { local: source, remote: target, bytes: info.size }
}

export async function pullFile(
  deps: SpriteDeps,
  workspace: Workspace,
  remote: string,
  local: string,
): Promise<FileTransfer> {
  const { sprite: name, workdir } = spriteOf(workspace)
  const source = remotePath(workdir, remote)
  const sprite = await deps.api.sprite(name)
  const data = await sprite
    .filesystem('/')
    .readFile(source)
    .catch((error: unknown) => {
      if (fsCode(error) === 'ENOENT') {
        throw new NexusError('INVALID_ARGUMENT', `Sprite ${name} has no file ${source}.`, {
          suggestion: `Look with \`nexus workspace exec ${workspace.name} -- ls -la ${posix.dirname(source)}\`.`,
        })
      }
      throw deps.api.errorFor(error, `read ${source} in sprite ${name}`)
    })
  const target = resolve(local)
  await mkdir(dirname(target), { recursive: true })
  await writeFile(target, data)
  return { local: target, remote: source, bytes: data.length }
}
