import { setTimeout as sleep } from 'node:timers/promises'
import { NexusError, type NexusErrorLike, describeError, isNexusError } from '../errors/index.js'
import type { SshEndpoint } from '../provider/index.js'
import { type SshConnectOptions, connectSsh } from './connect.js'

/** Time as waitForSsh sees it; tests pass a fake one so retries cost no wall-clock time. */
export interface WaitClock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: WaitClock = { now: () => Date.now(), sleep: (ms) => sleep(ms) }

export interface WaitForSshOptions extends SshConnectOptions {
  timeoutMs: number
  intervalMs: number
  clock?: WaitClock
  /** One connection attempt; injectable for tests. Defaults to a real connect-and-authenticate. */
  attempt?: (endpoint: SshEndpoint, options: SshConnectOptions) => Promise<void>
}

/** Longest a single attempt may take, so a black-holed port does not eat the whole budget in one try. */
const MAX_ATTEMPT_MS = 5_000

/**
 * Retries until the workspace's sshd completes a handshake and accepts the nexus key. A container's sshd comes up
 * a moment after the container starts, and until then the port refuses or resets connections.
 *
 * Authentication failures are retried too: a backend may install authorized_keys just after sshd starts. When the
 * deadline passes, the last failure is reported: an auth failure as itself, anything else as TIMEOUT.
 */
export async function waitForSsh(
  endpoint: SshEndpoint,
  options: WaitForSshOptions,
): Promise<{ attempts: number }> {
  const clock = options.clock ?? systemClock
  const attempt = options.attempt ?? connectOnce
  const deadline = clock.now() + options.timeoutMs
  let attempts = 0
  let lastError: unknown
  for (;;) {
    attempts += 1
    const remaining = Math.max(1, deadline - clock.now())
    try {
      await attempt(endpoint, {
        ...options,
        connectTimeoutMs: Math.min(remaining, options.connectTimeoutMs ?? MAX_ATTEMPT_MS),
      })
      return { attempts }
    } catch (error) {
      if (!isNexusError(error)) throw error
      // An unreadable key will not fix itself; a refused key might (see above).
      if (error.retryable === false && !isAuthFailure(error)) throw error
      lastError = error
    }
    if (clock.now() + options.intervalMs >= deadline) break
    await clock.sleep(options.intervalMs)
  }
  if (isNexusError(lastError) && lastError.retryable === false) throw lastError
  const name = options.workspaceName ?? '<name>'
  throw new NexusError(
    'TIMEOUT',
    `SSH at ${endpoint.host}:${endpoint.port} did not become ready within ${Math.round(options.timeoutMs / 1000)}s (${attempts} attempts; last: ${describeError(lastError)}).`,
    {
      suggestion: `Run \`nexus workspace info ${name}\` and \`nexus workspace logs ${name}\` to see why sshd is not answering.`,
      cause: lastError,
      details: { host: endpoint.host, port: endpoint.port, attempts, timeoutMs: options.timeoutMs },
    },
  )
}

function isAuthFailure(error: NexusErrorLike): boolean {
  return error.details?.level === 'client-authentication'
}

async function connectOnce(endpoint: SshEndpoint, options: SshConnectOptions): Promise<void> {
  const client = await connectSsh(endpoint, options)
  client.end()
}
