import { mkdir, readFile, realpath, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { NexusError } from '../errors/index.js'
import type { SshEndpoint } from '../provider/index.js'
import { writeFileAtomic } from '../util/atomic-file.js'
import { isErrno } from './errno.js'
import { sshPaths } from './paths.js'

export interface SshConfigEntry {
  /** The name users type: `ssh <alias>`, and what editors' remote-SSH extensions list. */
  alias: string
  endpoint: SshEndpoint
}

const ALIAS_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

const HEADER = `# Managed by nexus: rewritten whenever a workspace is created, started or destroyed; edits here are lost.
#
# Host keys are deliberately not checked. Every workspace is a container nexus itself created, reached on loopback,
# and it gets new host keys each time it is recreated: pinning them in known_hosts would only ever produce false
# "REMOTE HOST IDENTIFICATION HAS CHANGED" alarms, never catch a real impostor.
`

/** The whole nexus ssh_config: one Host block per workspace, sorted by alias so rewrites diff cleanly. */
export function renderSshConfig(entries: SshConfigEntry[]): string {
  const seen = new Set<string>()
  const blocks = [...entries]
    .sort((a, b) => a.alias.localeCompare(b.alias))
    .map(({ alias, endpoint }) => {
      validateAlias(alias, seen)
      return [
        `Host ${alias}`,
        `  HostName ${configValue(endpoint.host)}`,
        `  Port ${endpoint.port}`,
        `  User ${configValue(endpoint.user)}`,
        // ssh expands %-tokens in IdentityFile; a literal % in the path must be doubled.
        `  IdentityFile ${configValue(endpoint.identity.replaceAll('%', '%%'))}`,
        '  IdentitiesOnly yes',
        `  ForwardAgent ${endpoint.forwardAgent ? 'yes' : 'no'}`,
        '  StrictHostKeyChecking no',
        '  UserKnownHostsFile /dev/null',
        '  LogLevel ERROR',
      ].join('\n')
    })
  return [HEADER, ...blocks].join('\n') + (blocks.length > 0 ? '\n' : '')
}

/**
 * Replaces `$NEXUS_HOME/ssh_config` with one block per entry, atomically so a concurrent `ssh` never reads half a
 * file. Callers serialize writers (the file always describes every workspace, so the last writer must know them
 * all). Returns the file's path.
 */
export async function writeSshConfig(nexusHome: string, entries: SshConfigEntry[]): Promise<string> {
  const file = sshPaths(nexusHome).sshConfig
  await writeFileAtomic(file, renderSshConfig(entries), 0o600)
  return file
}

/**
 * Makes the user's `ssh`, `scp`, `rsync` and editors see nexus workspaces by including the nexus file from
 * `~/.ssh/config`. The Include goes on the first line because ssh reads an Include that follows a Host block as
 * part of that block. Idempotent: an Include already above every Host/Match block is left alone.
 */
export async function installInclude(
  nexusHome: string,
  userSshDir: string = join(homedir(), '.ssh'),
): Promise<{ file: string; added: boolean }> {
  const file = join(userSshDir, 'config')
  const includeLine = `Include ${configValue(sshPaths(nexusHome).sshConfig)}`
  const includedPath = sshPaths(nexusHome).sshConfig
  try {
    await mkdir(userSshDir, { recursive: true, mode: 0o700 })
    // Dotfile managers often make ~/.ssh/config a symlink: write through it rather than replace it.
    const target = await realpath(file).catch(() => file)
    const existing = await readExisting(target)
    const lines = existing === undefined ? [] : existing.content.split('\n')
    const firstBlock = lines.findIndex((line) => /^\s*(host|match)\s/i.test(line))
    const ours = lines
      .map((line, index) => (includesPath(line, includedPath) ? index : -1))
      .filter((i) => i >= 0)
    if (ours.some((index) => firstBlock === -1 || index < firstBlock)) return { file, added: false }

    const kept = lines.filter((_, index) => !ours.includes(index))
    const body = kept.join('\n')
    const content = body.trim() === '' ? `${includeLine}\n` : `${includeLine}\n\n${body.replace(/^\n+/, '')}`
    await writeFileAtomic(target, content, existing?.mode ?? 0o600)
    return { file, added: true }
  } catch (error) {
    if (isErrno(error, 'EACCES') || isErrno(error, 'EPERM')) {
      throw new NexusError('PERMISSION_DENIED', `Nexus cannot update ${file}.`, {
        suggestion: `Add the line \`${includeLine}\` at the top of ${file} yourself.`,
        cause: error,
      })
    }
    throw error
  }
}

async function readExisting(path: string): Promise<{ content: string; mode: number } | undefined> {
  try {
    const [content, info] = await Promise.all([readFile(path, 'utf8'), stat(path)])
    return { content, mode: info.mode & 0o777 }
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined
    throw error
  }
}

function includesPath(line: string, path: string): boolean {
  const match = /^\s*include\s+(.+?)\s*$/i.exec(line)
  if (!match?.[1]) return false
  return match[1].replace(/^"(.*)"$/, '$1') === path
}

function validateAlias(alias: string, seen: Set<string>): void {
  if (!ALIAS_PATTERN.test(alias)) {
    throw new NexusError('INVALID_ARGUMENT', `"${alias}" cannot be an SSH host alias.`, {
      suggestion: 'Use letters, digits, dots, dashes and underscores only.',
    })
  }
  if (seen.has(alias)) {
    throw new NexusError('INVALID_ARGUMENT', `Two workspaces would share the SSH host alias "${alias}".`, {
      suggestion: 'Rename one of them with a distinct name, then retry.',
    })
  }
  seen.add(alias)
}

/** An ssh_config argument: double-quoted when it holds whitespace, refused when it cannot be written at all. */
function configValue(value: string): string {
  if (/["\r\n]/.test(value) || value === '') {
    throw new NexusError(
      'INVALID_ARGUMENT',
      `${JSON.stringify(value)} cannot be written to an ssh_config file.`,
      {
        suggestion: 'Use host names and paths without double quotes or line breaks.',
      },
    )
  }
  return /\s/.test(value) ? `"${value}"` : value
}
