import { Flags } from '@oclif/core'
import {
  NexusError,
  sshAlias,
  sshExec,
  sshPaths,
  sshShell,
  type Nexus,
  type SshEndpoint,
  type Workspace,
} from '@nexus/core'
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
    'Needs a backend with real SSH. With --json and no command, prints the SSH endpoint instead of opening a ' +
    'shell.\n\nAliases: `nexus ws ssh`.'
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
      const { workspace, endpoint } = await sshTarget(nexus, args.name)
      const agentSocket = nexus.loaded.config.ssh.forward_agent ? process.env.SSH_AUTH_SOCK : undefined
      const connection = { ...endpoint, forwardAgent: endpoint.forwardAgent && agentSocket !== undefined }
      const options = { workspaceName: workspace.name, ...(agentSocket ? { agentSocket } : {}) }
      if (command.length === 0) {
        if (flags.json)
          return describeTarget(workspace, endpoint, sshPaths(nexus.loaded.locations.nexusHome).sshConfig)
        exitCode = (await sshShell(connection, { ...io, ...options }).finally(() => releaseStdin(io)))
          .exitCode
        return exitCode
      }
      const cwd = endpoint.workdir ? { cwd: endpoint.workdir } : {}
      exitCode = (
        await sshExec(connection, { command, ...io, ...cwd, ...options }).finally(() => releaseStdin(io))
      ).exitCode
      return captured
        ? { exitCode, stdout: captured.stdout.text(), stderr: captured.stderr.text() }
        : exitCode
    })
    if (exitCode !== 0) this.exit(exitCode)
  }
}

async function sshTarget(
  nexus: Nexus,
  name: string,
): Promise<{ workspace: Workspace; endpoint: SshEndpoint }> {
  const workspace = await nexus.manager.get(name)
  const provider = await nexus.registry.get(workspace.backend)
  if (provider.capabilities().ssh !== true) {
    throw new NexusError(
      'CAPABILITY_NOT_SUPPORTED',
      `The ${workspace.backend} backend of workspace "${name}" has no SSH access.`,
      {
        suggestion: `Run commands with \`nexus workspace exec ${name} -- <command>\` instead.`,
        details: { capability: 'ssh', backend: workspace.backend },
      },
    )
  }
  if (workspace.status !== 'running') {
    throw new NexusError('WORKSPACE_NOT_RUNNING', `Workspace "${name}" is ${workspace.status}.`, {
      suggestion: `Start it with \`nexus workspace start ${name}\`.`,
    })
  }
  return { workspace, endpoint: await provider.sshEndpoint(workspace) }
}

function describeTarget(workspace: Workspace, endpoint: SshEndpoint, sshConfig: string): SshTarget {
  const alias = sshAlias(workspace.name)
  // -F works whether or not the user's ~/.ssh/config includes the nexus file.
  return { name: workspace.name, alias, ...endpoint, command: `ssh -F ${JSON.stringify(sshConfig)} ${alias}` }
}
