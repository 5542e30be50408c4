import type { Readable, Writable } from 'node:stream'
import { NexusError } from '../errors/index.js'
import type { Provider, SshEndpoint } from '../provider/index.js'
import { registerSession, type SessionKind } from '../state/index.js'
import { sshExec, sshShell } from '../ssh/index.js'
import type { Workspace } from '../workspace/index.js'
import type { ManagerDeps } from './deps.js'
import {
  execNatively,
  hasNativeExec,
  requireRunning,
  sshConnection,
  type NativeExecProvider,
} from './exec.js'

export interface ShellOptions {
  /** A command to run instead of the interactive login shell; empty for the shell. */
  command: string[]
  stdin?: Readable
  stdout: Writable
  stderr: Writable
  /** Whether the remote side gets a pty (an interactive terminal). */
  tty: boolean
}

/** A login shell wherever the backend starts commands (its work dir): the user's shell, else bash, else sh. */
const LOGIN_SHELL = [
  'sh',
  '-c',
  'shell="${SHELL:-}"; [ -x "$shell" ] || shell=$(command -v bash || echo /bin/sh); exec "$shell" -l',
]

/**
 * `nexus workspace ssh`: a shell (or one command) in the workspace, over SSH where the backend has a real endpoint,
 * else through the backend's native exec. Either way the session is registered while it lasts, so `destroy` refuses
 * to pull the workspace from under it without --force. Returns the remote exit status.
 */
export async function shellInWorkspace(
  deps: ManagerDeps,
  workspace: Workspace,
  options: ShellOptions,
): Promise<number> {
  const provider = await deps.registry.get(workspace.backend)
  const interactive = options.command.length === 0
  const io = {
    stdout: options.stdout,
    stderr: options.stderr,
    ...(options.stdin ? { stdin: options.stdin } : {}),
  }
  if (usesNativeShell(provider)) {
    requireRunning(workspace)
    const command = interactive ? LOGIN_SHELL : options.command
    return attached(deps, workspace, interactive ? 'shell' : 'exec', () =>
      execNatively(provider, workspace, { command, ...io, tty: options.tty }),
    )
  }
  const connection = sshConnection(deps, await sshEndpointFor(workspace, provider))
  const session = { ...io, ...connection.options, tty: options.tty, workspaceName: workspace.name }
  return attached(deps, workspace, interactive ? 'shell' : 'ssh', async () =>
    interactive
      ? (await sshShell(connection.endpoint, session)).exitCode
      : (await sshExec(connection.endpoint, { command: options.command, ...session })).exitCode,
  )
}

/**
 * The SSH endpoint of a running workspace, for printing or connecting; coded errors when the backend has none (with
 * the way to a shell that it does have) or the workspace is not running.
 */
export async function sshEndpointFor(workspace: Workspace, provider: Provider): Promise<SshEndpoint> {
  const name = workspace.name
  if (provider.capabilities().ssh !== true) {
    const shell = usesNativeShell(provider)
      ? `Open a shell with \`nexus workspace ssh ${name}\` (it goes through the backend's exec), or run`
      : 'Run'
    throw new NexusError(
      'CAPABILITY_NOT_SUPPORTED',
      `The ${workspace.backend} backend of workspace "${name}" has no SSH endpoint.`,
      {
        suggestion: `${shell} commands with \`nexus workspace exec ${name} -- <command>\`.`,
        details: { capability: 'ssh', backend: workspace.backend },
      },
    )
  }
  requireRunning(workspace)
  return provider.sshEndpoint(workspace)
}

/** No real SSH endpoint, but a native exec that is switched on: the shell goes through exec. */
function usesNativeShell(provider: Provider): provider is NativeExecProvider {
  const capabilities = provider.capabilities()
  return capabilities.ssh !== true && capabilities.exec === true && hasNativeExec(provider)
}

async function attached(
  deps: ManagerDeps,
  workspace: Workspace,
  kind: SessionKind,
  run: () => Promise<number>,
): Promise<number> {
  const session = await registerSession(deps.state.paths.root, {
    workspaceId: workspace.id,
    workspace: workspace.name,
    kind,
  })
  try {
    return await run()
  } finally {
    await session.release()
  }
}
