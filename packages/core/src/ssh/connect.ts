import { readFile } from 'node:fs/promises'
import type { Client as SshClient, ConnectConfig } from 'ssh2'
import { loadSsh2 } from './ssh2-module.js'
import { NexusError, describeError } from '../errors/index.js'
import type { SshEndpoint } from '../provider/index.js'

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
/** Long commands (builds, test runs) are silent for minutes; keepalives notice a container that died meanwhile. */
const KEEPALIVE_INTERVAL_MS = 15_000

export interface SshConnectOptions {
  /** The user's ssh-agent socket (`SSH_AUTH_SOCK`), forwarded when the endpoint asks for agent forwarding. */
  agentSocket?: string
  /** How long to wait for the TCP connection, the handshake and authentication together. */
  connectTimeoutMs?: number
  /** The workspace behind the endpoint, so errors can name the command that helps. */
  workspaceName?: string
}

/** Opens an authenticated SSH connection, or throws SSH_ERROR saying why not and what to run next. */
export async function connectSsh(endpoint: SshEndpoint, options: SshConnectOptions = {}): Promise<SshClient> {
  const privateKey = await readIdentity(endpoint, options)
  const { Client } = await loadSsh2()
  const client = new Client()
  const config: ConnectConfig = {
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.user,
    privateKey,
    // Only the nexus key: offering agent keys first could exhaust sshd's MaxAuthTries before ours is tried. Then
    // `none`, for gateways that authenticate by the user name alone (Daytona's: the user is an access token).
    authHandler: ['publickey', 'none'],
    readyTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    keepaliveInterval: KEEPALIVE_INTERVAL_MS,
    // Any host key is accepted on purpose. Workspaces are containers (or sandboxes) nexus itself just created,
    // reached on loopback or through the backend's own authenticated tunnel, and their host keys are regenerated
    // on every recreate: pinning them would only produce false "host key changed" alarms, not security.
    hostVerifier: () => true,
    ...(endpoint.forwardAgent && options.agentSocket
      ? { agent: options.agentSocket, agentForward: true }
      : {}),
  }

  return new Promise<SshClient>((resolve, reject) => {
    let settled = false
    const fail = (error: NexusError): void => {
      if (settled) return
      settled = true
      client.removeAllListeners('ready')
      client.end()
      reject(error)
    }
    client.once('ready', () => {
      if (settled) return
      settled = true
      resolve(client)
    })
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      fail(connectError(endpoint, options, error))
    })
    client.once('close', () => {
      fail(
        connectError(endpoint, options, new Error('the server closed the connection during the handshake')),
      )
    })
    try {
      client.connect(config)
    } catch (error) {
      // ssh2 throws synchronously for a key it cannot parse.
      fail(keyError(endpoint, options, `cannot be used: ${describeError(error)}`))
    }
  })
}

async function readIdentity(endpoint: SshEndpoint, options: SshConnectOptions): Promise<Buffer> {
  try {
    return await readFile(endpoint.identity)
  } catch (error) {
    throw keyError(endpoint, options, `cannot be read: ${describeError(error)}`)
  }
}

function target(endpoint: SshEndpoint): string {
  return `${endpoint.user}@${endpoint.host}:${endpoint.port}`
}

function workspaceLabel(options: SshConnectOptions): string {
  return options.workspaceName ?? '<name>'
}

function keyError(endpoint: SshEndpoint, options: SshConnectOptions, problem: string): NexusError {
  return new NexusError('SSH_ERROR', `The SSH key ${endpoint.identity} ${problem}.`, {
    suggestion: `Nexus keeps its key in $NEXUS_HOME/keys (mode 0600); restore it, or recreate the workspace with \`nexus workspace destroy ${workspaceLabel(options)}\` and \`nexus workspace create\` so it authorizes a new one.`,
    retryable: false,
    details: { host: endpoint.host, port: endpoint.port, user: endpoint.user, identity: endpoint.identity },
  })
}

/** Turns ssh2's connection errors into what the user can do about them. */
export function connectError(
  endpoint: SshEndpoint,
  options: SshConnectOptions,
  error: Error & { level?: string; code?: string },
): NexusError {
  const name = workspaceLabel(options)
  const details = {
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    level: error.level ?? null,
    errno: error.code ?? null,
    cause: describeError(error),
  }
  if (error.level === 'client-authentication') {
    return new NexusError('SSH_ERROR', `SSH at ${target(endpoint)} refused the key ${endpoint.identity}.`, {
      suggestion: `The workspace does not authorize that key; run \`nexus workspace info ${name}\` to check it, or recreate the workspace so it authorizes the current nexus key.`,
      retryable: false,
      cause: error,
      details,
    })
  }
  const reason =
    error.code === 'ECONNREFUSED'
      ? 'nothing is listening there'
      : error.level === 'client-timeout'
        ? 'it did not answer in time'
        : describeError(error)
  return new NexusError('SSH_ERROR', `Could not connect to SSH at ${target(endpoint)}: ${reason}.`, {
    suggestion: `Run \`nexus workspace info ${name}\` to check that it is running, or \`nexus workspace start ${name}\`.`,
    retryable: true,
    cause: error,
    details,
  })
}
