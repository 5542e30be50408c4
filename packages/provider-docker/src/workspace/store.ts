import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { NexusError, describeError } from '@nexus/core'
import type { ImageChoice } from '../config.js'

/** A volume attached with `docker.volume.attach`, kept so that a recreated container gets it back. */
export interface AttachedVolume {
  volume: string
  dockerVolume: string
  mount: string
}

/**
 * What the provider keeps per workspace, beside core's record: the spec it was created with (the record lacks it, and
 * a container removed behind nexus's back must be recreated from it) and what escape hatches changed since. The env
 * may hold secrets, so the file is private to the user and never goes into backendRef.
 */
export interface StoredWorkspace {
  version: 1
  env: Record<string, string>
  authorizedKeys: string[]
  gitCommonDir: string
  image: ImageChoice
  volumes: AttachedVolume[]
  networks: string[]
}

async function writeAtomically(path: string, content: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`
  await writeFile(temporary, content, { mode })
  await chmod(temporary, mode)
  await rename(temporary, path)
}

export class WorkspaceStore {
  constructor(private readonly nexusHome: string) {}

  directory(workspaceId: string): string {
    return join(this.nexusHome, 'providers', 'docker', 'workspaces', workspaceId)
  }

  /** Bind-mounted read-only at /etc/nexus/authorized_keys; sshd reads it as the workspace user, so it is 0644. */
  authorizedKeysPath(workspaceId: string): string {
    return join(this.directory(workspaceId), 'authorized_keys')
  }

  private specPath(workspaceId: string): string {
    return join(this.directory(workspaceId), 'workspace.json')
  }

  async write(workspaceId: string, stored: StoredWorkspace): Promise<void> {
    await mkdir(this.directory(workspaceId), { recursive: true, mode: 0o700 })
    await writeAtomically(
      this.authorizedKeysPath(workspaceId),
      `${stored.authorizedKeys.join('\n')}\n`,
      0o644,
    )
    await writeAtomically(this.specPath(workspaceId), `${JSON.stringify(stored, null, 2)}\n`, 0o600)
  }

  async read(workspaceId: string): Promise<StoredWorkspace | null> {
    let text: string
    try {
      text = await readFile(this.specPath(workspaceId), 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
    try {
      const stored = JSON.parse(text) as StoredWorkspace
      if (stored.version !== 1) throw new Error(`unknown version ${String(stored.version)}`)
      return { ...stored, volumes: stored.volumes ?? [], networks: stored.networks ?? [] }
    } catch (error) {
      throw new NexusError(
        'STATE_CORRUPT',
        `The Docker backend's record ${this.specPath(workspaceId)} is unreadable: ${describeError(error)}.`,
        {
          suggestion:
            'Delete that file; nexus rebuilds it from the workspace on the next start (the workspace env is then taken from config).',
        },
      )
    }
  }

  async remove(workspaceId: string): Promise<void> {
    await rm(this.directory(workspaceId), { recursive: true, force: true })
  }
}
