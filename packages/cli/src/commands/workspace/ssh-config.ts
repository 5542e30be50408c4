import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { Flags } from '@oclif/core'
import { installInclude, sshPaths } from '@nexus/core'
import { NexusCommand } from '../../base-command.js'

interface SshConfigResult {
  /** `$NEXUS_HOME/ssh_config`, one Host block per workspace with SSH. */
  file: string
  /** The line that makes ssh, scp and editors read it, at the top of ~/.ssh/config. */
  include: string
  /** Whether ~/.ssh/config includes it (after --install, always). */
  installed: boolean
}

export default class WorkspaceSshConfig extends NexusCommand {
  static override summary = 'Print the ssh_config that lets ssh, scp and editors reach workspaces.'
  static override description =
    'Every workspace with SSH gets a Host block `<name>.nexus` in $NEXUS_HOME/ssh_config. ssh reads that file once ' +
    '~/.ssh/config includes it (the Include must come before any Host block); --install adds the line.\n\nAliases: `nexus ws ssh-config`.'
  static override hiddenAliases = ['ws:ssh-config']
  static override examples = [
    '<%= config.bin %> workspace ssh-config',
    '<%= config.bin %> workspace ssh-config --install',
  ]

  static override flags = {
    install: Flags.boolean({ description: 'Add the Include line at the top of ~/.ssh/config (idempotent).' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(WorkspaceSshConfig)
    let content = ''
    await this.runNexus(
      flags,
      async (nexus): Promise<SshConfigResult> => {
        const nexusHome = nexus.loaded.locations.nexusHome
        const file = (await nexus.manager.refreshSshConfig()) ?? sshPaths(nexusHome).sshConfig
        content = await readFile(file, 'utf8').catch(() => '')
        const include = `Include ${/\s/.test(file) ? `"${file}"` : file}`
        const installed = flags.install ? (await installInclude(nexusHome), true) : await isIncluded(file)
        return { file, include, installed }
      },
      (result) => renderSshConfig(result, content, flags.install),
    )
  }
}

async function isIncluded(file: string): Promise<boolean> {
  const userConfig = await readFile(join(homedir(), '.ssh', 'config'), 'utf8').catch(() => '')
  return userConfig.split('\n').some(
    (line) =>
      /^\s*include\s/i.test(line) &&
      line
        .replace(/^\s*include\s+/i, '')
        .trim()
        .replace(/^"(.*)"$/, '$1') === file,
  )
}

function renderSshConfig(result: SshConfigResult, content: string, justInstalled: boolean): string {
  const note = result.installed
    ? `~/.ssh/config ${justInstalled ? 'now includes' : 'includes'} this file: \`ssh <name>.nexus\` works, and so do scp, rsync and editors' Remote-SSH.`
    : [
        'To reach workspaces as `ssh <name>.nexus` (and with scp, rsync, editors), put this line at the top of ~/.ssh/config:',
        `  ${result.include}`,
        'or run `nexus workspace ssh-config --install`.',
      ].join('\n')
  return [`# ${result.file}`, content.trimEnd(), '', note].join('\n')
}
