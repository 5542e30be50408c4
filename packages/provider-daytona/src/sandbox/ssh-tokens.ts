import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { NexusError, writeFileAtomic, type Clock } from '@nexus/core'

/** One SSH access grant: the token is the SSH user name on Daytona's gateway. */
export interface SshGrant {
  token: string
  host: string
  port: number
  /** ISO time after which the gateway refuses the token. */
  expiresAt: string
}

/** A token within this long of its expiry is replaced, so a session started now is not cut short. */
const RENEW_BEFORE_MS = 5 * 60_000

/**
 * SSH tokens by sandbox id in `<nexusHome>/providers/daytona/ssh-tokens.json` (mode 0600): asking Daytona for a
 * token on every `ssh`/`exec`/`info` would add a round trip each time and pile up live grants.
 */
export class SshTokenStore {
  private readonly file: string

  constructor(
    nexusHome: string,
    private readonly clock: Clock,
  ) {
    this.file = join(nexusHome, 'providers', 'daytona', 'ssh-tokens.json')
  }

  get path(): string {
    return this.file
  }

  async valid(sandboxId: string): Promise<SshGrant | undefined> {
    const grant = (await this.read())[sandboxId]
    if (!grant) return undefined
    return Date.parse(grant.expiresAt) - RENEW_BEFORE_MS > this.clock.now() ? grant : undefined
  }

  async any(sandboxId: string): Promise<SshGrant | undefined> {
    return (await this.read())[sandboxId]
  }

  async put(sandboxId: string, grant: SshGrant): Promise<void> {
    const all = await this.read()
    all[sandboxId] = grant
    await this.write(all)
  }

  async remove(sandboxId: string): Promise<void> {
    const all = await this.read()
    if (!(sandboxId in all)) return
    delete all[sandboxId]
    await this.write(all)
  }

  private async read(): Promise<Record<string, SshGrant>> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch {
      return {}
    }
    try {
      const parsed = JSON.parse(text) as unknown
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, SshGrant>) : {}
    } catch {
      // A damaged cache only costs new tokens.
      return {}
    }
  }

  private async write(all: Record<string, SshGrant>): Promise<void> {
    try {
      await mkdir(join(this.file, '..'), { recursive: true, mode: 0o700 })
      await writeFileAtomic(this.file, `${JSON.stringify(all, null, 2)}\n`, 0o600)
    } catch (error) {
      throw new NexusError('PERMISSION_DENIED', `Could not write the Daytona SSH token cache ${this.file}.`, {
        suggestion: 'Check that $NEXUS_HOME is writable by you (`nexus doctor`).',
        cause: error,
      })
    }
  }
}

/** Reads host and port from Daytona's `sshCommand` (`ssh [-p <port>] <token>@<host>`). */
export function parseSshCommand(command: string): { host: string; port: number } {
  const port = /(?:^|\s)-p\s*(\d+)/.exec(command)?.[1]
  const host = /@([^\s:]+)/.exec(command)?.[1]
  if (!host) {
    throw new NexusError('SSH_CONNECTION_FAILED', 'Daytona answered the SSH access request without a host.', {
      suggestion: 'Retry; if it persists, use `nexus workspace exec` (it works without SSH).',
      details: { sshCommand: command.replace(/\S+@/, '<token>@') },
    })
  }
  return { host, port: port ? Number(port) : 22 }
}
