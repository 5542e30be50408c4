import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import { NexusError } from '@nexus/core'
import { LABELS, MANAGED_BY } from '../workspace/naming.js'
import type { DockerDeps } from '../workspace/provision.js'

/** One volume's content copied into another; `replace` empties the target first (a restore), else it is new. */
export interface VolumeCopy {
  from: string
  to: string
  replace: boolean
}

function collect(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = []
  return {
    stream: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk)
        callback()
      },
    }),
    text: () => Buffer.concat(chunks).toString('utf8'),
  }
}

/**
 * Copies volumes with one short-lived helper container (root, no network) on `image`, which must have a POSIX shell,
 * `cp -a` and `du` — any workspace image has. Everything stays inside the engine, so it works the same on a remote
 * one. Resolves the bytes in each target, in order (`du -sk`, so to the KiB).
 */
export async function copyVolumes(deps: DockerDeps, image: string, copies: VolumeCopy[]): Promise<number[]> {
  if (copies.length === 0) return []
  const script = copies
    .map(
      (copy, i) =>
        `${copy.replace ? `find /to/${i} -mindepth 1 -delete && ` : ''}cp -a /from/${i}/. /to/${i}/`,
    )
    .concat(`du -sk ${copies.map((_, i) => `/to/${i}`).join(' ')}`)
    .join(' && ')
  const name = `nexus-snapshot-helper-${randomBytes(4).toString('hex')}`
  const id = await deps.engine.createContainer({
    name,
    Image: image,
    User: '0',
    Entrypoint: ['/bin/sh', '-c'],
    Cmd: [script],
    Labels: { [LABELS.managedBy]: MANAGED_BY, [LABELS.image]: 'snapshot-helper' },
    NetworkDisabled: true,
    HostConfig: {
      NetworkMode: 'none',
      Mounts: copies.flatMap((copy, i) => [
        { Type: 'volume' as const, Source: copy.from, Target: `/from/${i}`, ReadOnly: true },
        { Type: 'volume' as const, Source: copy.to, Target: `/to/${i}` },
      ]),
    },
  })
  try {
    await deps.engine.startContainer(id)
    const exitCode = await deps.engine.waitContainer(id)
    const stdout = collect()
    const stderr = collect()
    await deps.engine.logs(id, { follow: false, stdout: stdout.stream, stderr: stderr.stream })
    if (exitCode !== 0) {
      throw new NexusError(
        'BACKEND_ERROR',
        `Copying volume data failed (exit ${exitCode}): ${stderr.text().trim().split('\n').pop() ?? ''}.`,
        {
          suggestion:
            'Check that the volumes exist (`docker volume ls`) and that the engine has disk space, then retry.',
          details: { volumes: copies.map((copy) => `${copy.from} → ${copy.to}`) },
        },
      )
    }
    const sizes = new Map(
      stdout
        .text()
        .split('\n')
        .map((line) => /^(\d+)\s+\/to\/(\d+)$/.exec(line.trim()))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => [Number(match[2]), Number(match[1]) * 1024] as const),
    )
    return copies.map((_, i) => sizes.get(i) ?? 0)
  } finally {
    await deps.engine.removeContainer(id, { force: true }).catch(() => undefined)
  }
}
