import { Flags } from '@oclif/core'
import { sshAlias, sshPaths, type SshEndpoint, type Workspace } from '@nexus/core'
import { NexusCommand } from '../../base-command.js'
import { commandIo, releaseStdin } from '../../exec-io.js'
import { argvAfterSeparator, workspaceNameArg } from '../../flags.js'

/** What `ssh --json` prints without a command: how to connect, for tools that open the session themselves. */
interface SshTarget extends SshEndpoint {
  name: string
  alias: string
  command: string
}

export default class WorkspaceSsh extends NexusCommand {
  static override summary = 'Open a shell in a workspace over SSH.'
  static override description =
    'Over SSH on backends with a real SSH endpoint. On a backend without one but with native exec (e.g. sprite), ' +
    "the shell (a login shell, on a pseudo-terminal when nexus runs on one) goes through the backend's exec " +
    'channel instead. With --json and no command, prints the SSH endpoint instead of opening a shell.' +
    '\n\nAliases: `nexus ws ssh`.'
  static override hiddenAliases = ['ws:ssh']
  static override strict = false
  static override usage = ['workspace ssh <name> [-- <command> [args…]]']
  static override examples = [
    '<%= config.bin %> workspace ssh my-feature',
    '<%= config.bin %> workspace ssh my-feature -- htop',
  ]

  static override args = { name: workspaceNameArg }

  static override flags = {
    tty: Flags.boolean({
      char: 't',
      allowNo: true,
      description: 'Allocate a pseudo-terminal (default: when nexus runs on one).',
    }),
  }

  // The likeliest mistake is a command whose own flags oclif took for ours.
  protected override usageSuggestion(): string {
    return 'Put the command after `--`, e.g. `nexus workspace ssh <name> -- ls -la` (see `nexus workspace ssh --help`).'
  }

  async run(): Promise<void> {
    const { args, argv, flags } = await this.parse(WorkspaceSsh)
    const command = argvAfterSeparator(this.argv) ?? argv.slice(1).map(String)
    const { captured, ...io } = commandIo(flags.json, flags.tty)
    let exitCode = 0
    await this.runNexus(flags, async (nexus) => {
      if (command.length === 0 && flags.json) {
        const { workspace, endpoint } = await nexus.manager.sshEndpoint(args.name)
        return describeTarget(workspace, endpoint, sshPaths(nexus.loaded.locations.nexusHome).sshConfig)
      }
      exitCode = await nexus.manager.shell(args.name, { command, ...io }).finally(() => releaseStdin(io))
      return captured
        ? { exitCode, stdout: captured.stdout.text(), stderr: captured.stderr.text() }
        : exitCode
    })
    if (exitCode !== 0) this.exit(exitCode)
  }
}

function describeTarget(workspace: Workspace, endpoint: SshEndpoint, sshConfig: string): SshTarget {
  const alias = sshAlias(workspace.name)
  // -F works whether or not the user's ~/.ssh/config includes the nexus file.
  return { name: workspace.name, alias, ...endpoint, command: `ssh -F ${JSON.stringify(sshConfig)} ${alias}` }
}
