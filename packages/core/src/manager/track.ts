import { isNexusError } from '../errors/index.js'
import type { Workspace } from '../workspace/index.js'
import { timestamp, type ManagerDeps } from './deps.js'

/** Runs one operation and records it in the event log, whatever its outcome. */
export async function tracked<T>(
  deps: ManagerDeps,
  operation: string,
  subject: { name: string; workspace?: Workspace; backend?: string },
  fn: () => Promise<T>,
): Promise<T> {
  const started = Date.now()
  const base = {
    actor: deps.actor,
    operation,
    workspace: logSafeName(subject.name),
    ...(subject.workspace ? { workspaceId: subject.workspace.id, backend: subject.workspace.backend } : {}),
    ...(subject.backend ? { backend: subject.backend } : {}),
  }
  try {
    const result = await fn()
    // create learns the id and the backend only as it runs: take them from the workspace it returns.
    const made = result as { id?: unknown; backend?: unknown } | null
    // The operation has happened: a log line that cannot be written (disk full) must not turn it into a failure.
    await deps.state
      .appendEvent({
        time: timestamp(deps),
        ...base,
        ...(typeof made?.id === 'string' && !base.workspaceId ? { workspaceId: made.id } : {}),
        ...(typeof made?.backend === 'string' && !base.backend ? { backend: made.backend } : {}),
        result: 'ok',
        durationMs: Date.now() - started,
      })
      .catch((error: unknown) => deps.reporter.debug(`event log: ${(error as Error).message}`))
    return result
  } catch (error) {
    await deps.state
      .appendEvent({
        time: timestamp(deps),
        ...base,
        result: 'error',
        errorCode: isNexusError(error) ? error.code : 'INTERNAL',
        durationMs: Date.now() - started,
      })
      .catch(() => undefined)
    throw error
  }
}

/** Names here may be whatever a user typed (a refused create): keep log lines bounded. */
function logSafeName(name: string): string {
  return name.length <= 80 ? name : `${name.slice(0, 77)}…`
}
