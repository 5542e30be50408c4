import type { ExecOptions } from '../app/types.js'
import { NexusError } from '../errors/index.js'
import type { ExecRequest, Provider, SshEndpoint } from '../provider/index.js'
import { attachLocalTerminal, sshExec } from '../ssh/index.js'
import type { Workspace } from '../workspace/index.js'
import { managerConfig } from './config-view.js'
import type { ManagerDeps } from './deps.js'

export type ExecTransport = 'ssh' | 'native'

/**
 * Which way a command reaches the workspace. `auto` prefers SSH when the backend has a real SSH endpoint and the
 * user has an ssh-agent to forward (so git over ssh inside works), and the backend's native exec otherwise
 * (it is faster: no handshake).
 */
export function chooseTransport(deps: ManagerDeps, provider: Provider): ExecTransport {
  const wanted = managerConfig(deps.loaded).execTransport
  const capabilities = provider.capabilities()
  const hasSsh = capabilities.ssh === true
  // A provider may ship exec() yet have it switched off by config: the capability flag is the truth.
  const hasNative = typeof provider.exec === 'function' && capabilities.exec !== false
  if (wanted === 'native' || (wanted === 'auto' && hasNative && (!hasSsh || !deps.env.SSH_AUTH_SOCK))) {
    if (!hasNative) throw noTransport(provider, 'native exec')
    return 'native'
  }
  if (!hasSsh) {
    if (hasNative) return 'native'
    throw noTransport(provider, 'SSH')
  }
  return 'ssh'
}

function noTransport(provider: Provider, what: string): NexusError {
  return new NexusError(
    'CAPABILITY_NOT_SUPPORTED',
    `The ${provider.name} backend offers no ${what} to run commands with.`,
    {
      suggestion: 'Set `exec.transport` to `auto` (`nexus config set exec.transport auto`).',
    },
  )
}

export async function execInWorkspace(
  deps: ManagerDeps,
  workspace: Workspace,
  options: ExecOptions,
): Promise<number> {
  if (options.command.length === 0) {
    throw new NexusError('INVALID_ARGUMENT', 'No command given.', {
      suggestion: `Run \`nexus workspace exec ${workspace.name} -- <command> [args…]\`.`,
    })
  }
  requireRunning(workspace)
  const provider = await deps.registry.get(workspace.backend)
  const request: ExecRequest = {
    command: options.command,
    stdout: options.stdout,
    stderr: options.stderr,
    ...(options.stdin ? { stdin: options.stdin } : {}),
    ...(options.tty !== undefined ? { tty: options.tty } : {}),
    ...(options.env ? { env: options.env } : {}),
  }
  if (chooseTransport(deps, provider) === 'native' && hasNativeExec(provider)) {
    return execNatively(provider, workspace, request)
  }
  const connection = sshConnection(deps, await provider.sshEndpoint(workspace))
  return (await sshExec(connection.endpoint, { ...request, ...connection.options })).exitCode
}

/** Commands run only in a running workspace; anything else is WORKSPACE_NOT_RUNNING with the way to start it. */
export function requireRunning(workspace: Workspace): void {
  if (workspace.status === 'running') return
  throw new NexusError('WORKSPACE_NOT_RUNNING', `Workspace "${workspace.name}" is ${workspace.status}.`, {
    suggestion: `Start it with \`nexus workspace start ${workspace.name}\`.`,
  })
}

export type NativeExecProvider = Provider & Required<Pick<Provider, 'exec'>>

export function hasNativeExec(provider: Provider): provider is NativeExecProvider {
  return typeof provider.exec === 'function'
}

/**
 * The backend's own exec. With a pty, it is the backend that opens it, so our terminal is attached for the run:
 * raw keys (^C reaches the remote program), and our window's size and resizes handed over.
 */
export async function execNatively(
  provider: NativeExecProvider,
  workspace: Workspace,
  request: ExecRequest,
): Promise<number> {
  const terminal = request.tty === true ? attachLocalTerminal(request.stdin, request.stdout) : undefined
  try {
    const { exitCode } = await provider.exec(workspace, {
      ...request,
      ...(terminal?.terminalSize ? { terminalSize: terminal.terminalSize } : {}),
      ...(terminal?.onResize ? { onResize: terminal.onResize } : {}),
    })
    return exitCode
  } finally {
    terminal?.restore()
  }
}

/** An SSH endpoint as a session uses it: the agent forwarded when config allows and there is one, in its work dir. */
export function sshConnection(
  deps: ManagerDeps,
  endpoint: SshEndpoint,
): { endpoint: SshEndpoint; options: { cwd?: string; agentSocket?: string } } {
  const agentSocket = managerConfig(deps.loaded).forwardAgent ? deps.env.SSH_AUTH_SOCK : undefined
  return {
    endpoint: { ...endpoint, forwardAgent: endpoint.forwardAgent && agentSocket !== undefined },
    options: {
      ...(endpoint.workdir ? { cwd: endpoint.workdir } : {}),
      ...(agentSocket ? { agentSocket } : {}),
    },
  }
}
