import { Flags } from '@oclif/core'
import {
  NexusError,
  sshAlias,
  sshExec,
  sshPaths,
  sshShell,
  type Provider,
  type SshEndpoint,
  type Workspace,
} from '@nexus/core'
import { NexusCommand } from '../../base-command.js'
import { attachLocalTerminal, commandIo, releaseStdin, type CommandIo } from '../../exec-io.js'
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
      // One lookup of the workspace and its backend decides the route: SSH, or the backend's native exec.
      const workspace = await nexus.manager.get(args.name)
      const provider = await nexus.registry.get(workspace.backend)
      const native = nativeShellTarget(workspace, provider)
      if (native) {
        if (command.length === 0 && flags.json) throw noEndpoint(native.workspace)
        // Attached like an SSH session, so `destroy` refuses to pull the workspace from under it without --force.
        const session = await nexus.manager.attachSession(
          native.workspace.name,
          command.length === 0 ? 'shell' : 'exec',
        )
        exitCode = await shellThroughExec(native, command, io).finally(async () => {
          releaseStdin(io)
          await session.release()
        })
        return captured
          ? { exitCode, stdout: captured.stdout.text(), stderr: captured.stderr.text() }
          : exitCode
      }
      const endpoint = await sshEndpointOf(workspace, provider)
      const agentSocket = nexus.loaded.config.ssh.forward_agent ? process.env.SSH_AUTH_SOCK : undefined
      const connection = { ...endpoint, forwardAgent: endpoint.forwardAgent && agentSocket !== undefined }
      const options = { workspaceName: workspace.name, ...(agentSocket ? { agentSocket } : {}) }
      if (command.length === 0 && flags.json)
        return describeTarget(workspace, endpoint, sshPaths(nexus.loaded.locations.nexusHome).sshConfig)
      // While attached, `destroy` refuses to remove the workspace from under us without --force.
      const session = await nexus.manager.attachSession(
        workspace.name,
        command.length === 0 ? 'shell' : 'ssh',
      )
      const finish = async (): Promise<void> => {
        releaseStdin(io)
        await session.release()
      }
      if (command.length === 0) {
        exitCode = (await sshShell(connection, { ...io, ...options }).finally(finish)).exitCode
        return exitCode
      }
      const cwd = endpoint.workdir ? { cwd: endpoint.workdir } : {}
      exitCode = (await sshExec(connection, { command, ...io, ...cwd, ...options }).finally(finish)).exitCode
      return captured
        ? { exitCode, stdout: captured.stdout.text(), stderr: captured.stderr.text() }
        : exitCode
    })
    if (exitCode !== 0) this.exit(exitCode)
  }
}

/** A login shell wherever the backend starts commands (its work dir): the user's shell, else bash, else sh. */
const LOGIN_SHELL = [
  'sh',
  '-c',
  'shell="${SHELL:-}"; [ -x "$shell" ] || shell=$(command -v bash || echo /bin/sh); exec "$shell" -l',
]

interface NativeShellTarget {
  workspace: Workspace
  provider: Provider & Required<Pick<Provider, 'exec'>>
}

/** The workspace and its provider when the shell must go through native exec: no SSH endpoint, but exec. */
function nativeShellTarget(workspace: Workspace, provider: Provider): NativeShellTarget | undefined {
  const capabilities = provider.capabilities()
  if (capabilities.ssh === true || capabilities.exec !== true || typeof provider.exec !== 'function')
    return undefined
  return { workspace, provider: provider as NativeShellTarget['provider'] }
}

/** Runs a login shell (or the command) through the backend's exec, with our terminal attached when there is one. */
async function shellThroughExec(
  target: NativeShellTarget,
  command: string[],
  io: CommandIo,
): Promise<number> {
  const { workspace } = target
  if (workspace.status !== 'running') {
    throw new NexusError('WORKSPACE_NOT_RUNNING', `Workspace "${workspace.name}" is ${workspace.status}.`, {
      suggestion: `Start it with \`nexus workspace start ${workspace.name}\`.`,
    })
  }
  const terminal = io.tty ? attachLocalTerminal(io) : undefined
  try {
    const { exitCode } = await target.provider.exec(workspace, {
      command: command.length > 0 ? command : LOGIN_SHELL,
      stdout: io.stdout,
      stderr: io.stderr,
      ...(io.stdin ? { stdin: io.stdin } : {}),
      tty: io.tty,
      ...(terminal?.terminalSize ? { terminalSize: terminal.terminalSize } : {}),
      ...(terminal?.onResize ? { onResize: terminal.onResize } : {}),
    })
    return exitCode
  } finally {
    terminal?.restore()
  }
}

function noEndpoint(workspace: Workspace): NexusError {
  return new NexusError(
    'CAPABILITY_NOT_SUPPORTED',
    `The ${workspace.backend} backend of workspace "${workspace.name}" has no SSH endpoint to print.`,
    {
      suggestion: `Open a shell with \`nexus workspace ssh ${workspace.name}\`, or run commands with \`nexus workspace exec ${workspace.name} -- <command>\`.`,
      details: { capability: 'ssh', backend: workspace.backend },
    },
  )
}

/** The SSH endpoint of a running workspace whose backend has one; coded errors otherwise. */
async function sshEndpointOf(workspace: Workspace, provider: Provider): Promise<SshEndpoint> {
  const name = workspace.name
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
  return provider.sshEndpoint(workspace)
}

function describeTarget(workspace: Workspace, endpoint: SshEndpoint, sshConfig: string): SshTarget {
  const alias = sshAlias(workspace.name)
  // -F works whether or not the user's ~/.ssh/config includes the nexus file.
  return { name: workspace.name, alias, ...endpoint, command: `ssh -F ${JSON.stringify(sshConfig)} ${alias}` }
}
