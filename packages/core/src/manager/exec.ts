import type { ExecOptions } from '../app/types.js'
import { NexusError } from '../errors/index.js'
import type { Provider } from '../provider/index.js'
import { sshExec } from '../ssh/index.js'
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
  if (workspace.status !== 'running') {
    throw new NexusError('WORKSPACE_NOT_RUNNING', `Workspace "${workspace.name}" is ${workspace.status}.`, {
      suggestion: `Start it with \`nexus workspace start ${workspace.name}\`.`,
    })
  }
  const provider = await deps.registry.get(workspace.backend)
  const request = {
    command: options.command,
    stdout: options.stdout,
    stderr: options.stderr,
    ...(options.stdin ? { stdin: options.stdin } : {}),
    ...(options.tty !== undefined ? { tty: options.tty } : {}),
    ...(options.env ? { env: options.env } : {}),
  }
  if (chooseTransport(deps, provider) === 'native' && provider.exec) {
    return (await provider.exec(workspace, request)).exitCode
  }
  const endpoint = await provider.sshEndpoint(workspace)
  const agentSocket = managerConfig(deps.loaded).forwardAgent ? deps.env.SSH_AUTH_SOCK : undefined
  const result = await sshExec(
    { ...endpoint, forwardAgent: endpoint.forwardAgent && agentSocket !== undefined },
    {
      ...request,
      ...(endpoint.workdir ? { cwd: endpoint.workdir } : {}),
      ...(agentSocket ? { agentSocket } : {}),
    },
  )
  return result.exitCode
}
