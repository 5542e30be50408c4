import {
  NexusError,
  type ExecRequest,
  type ExecResult,
  type LogsRequest,
  type StatsResult,
  type Workspace,
} from '@nexus/core'
import type { ContainerStatsSample } from '../engine/engine.js'
import { engineStatusOf } from '../engine/errors.js'
import { WORKSPACE_DIR } from './container-spec.js'
import { workspaceUserFor } from '../image/builder.js'
import { namesFor } from './naming.js'
import { outOfMemoryMessage, outOfMemorySuggestion } from './out-of-memory.js'
import type { DockerDeps } from './provision.js'

function notRunning(workspace: Workspace, cause: unknown): NexusError {
  return new NexusError('WORKSPACE_NOT_RUNNING', `Workspace "${workspace.name}" is not running on Docker.`, {
    suggestion: `Start it with \`nexus workspace start ${workspace.name}\`.`,
    cause,
  })
}

/** Runs a command through the engine (no SSH) as the workspace user, in /workspace unless told otherwise. */
export async function execInWorkspace(
  deps: DockerDeps,
  workspace: Workspace,
  request: ExecRequest,
): Promise<ExecResult> {
  if (request.command.length === 0) {
    throw new NexusError('INVALID_ARGUMENT', 'No command was given to run.', {
      suggestion: 'Pass the command after `--`, e.g. `nexus exec feature-x -- ls`.',
    })
  }
  const container = namesFor(workspace).container
  const startedSeconds = Date.now() / 1000
  try {
    const exitCode = await deps.engine.exec(container, {
      command: request.command,
      user: workspaceUserFor(deps.identity),
      cwd: request.cwd ?? WORKSPACE_DIR,
      ...(request.env ? { env: request.env } : {}),
      ...(request.tty !== undefined ? { tty: request.tty } : {}),
      ...(request.stdin ? { stdin: request.stdin } : {}),
      stdout: request.stdout,
      stderr: request.stderr,
    })
    if (exitCode === 137) await explainOutOfMemory(deps, workspace, container, startedSeconds, request)
    return { exitCode }
  } catch (error) {
    const status = engineStatusOf(error)
    if (status === 404 || status === 409) throw notRunning(workspace, error)
    throw error
  }
}

/**
 * A command killed with SIGKILL (exit 137) only says "Killed". When the kernel's OOM killer did it, say so — and how
 * to get more memory — where the user is looking: the command's stderr.
 */
async function explainOutOfMemory(
  deps: DockerDeps,
  workspace: Workspace,
  container: string,
  sinceSeconds: number,
  request: ExecRequest,
): Promise<void> {
  const kills = await deps.engine.oomKillsSince(container, sinceSeconds - 1).catch(() => 0)
  if (kills === 0) return
  request.stderr.write(
    `nexus: ${outOfMemoryMessage(workspace, 'The command')} ${outOfMemorySuggestion(workspace)}\n`,
  )
}

/** `since` as the engine wants it (unix seconds): an ISO time, or a duration back from now (`90s`, `10m`, `2h`, `1d`). */
export function sinceToUnixSeconds(since: string, now: number = Date.now()): number {
  const duration = since.match(/^(\d+)(s|m|h|d)$/)
  if (duration) {
    const seconds =
      Number(duration[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[duration[2] as 's' | 'm' | 'h' | 'd']
    return Math.floor(now / 1000) - seconds
  }
  const time = Date.parse(since)
  if (Number.isNaN(time)) {
    throw new NexusError('INVALID_ARGUMENT', `"${since}" is neither a time nor a duration.`, {
      suggestion: 'Use an ISO time (2026-01-31T12:00:00Z) or a duration like 10m, 2h, 1d.',
    })
  }
  return Math.floor(time / 1000)
}

export async function workspaceLogs(
  deps: DockerDeps,
  workspace: Workspace,
  request: LogsRequest,
): Promise<void> {
  try {
    await deps.engine.logs(namesFor(workspace).container, {
      follow: request.follow ?? false,
      ...(request.tail !== undefined ? { tail: request.tail } : {}),
      ...(request.since !== undefined ? { since: sinceToUnixSeconds(request.since) } : {}),
      stdout: request.stdout,
      stderr: request.stderr,
    })
  } catch (error) {
    if (engineStatusOf(error) === 404) {
      throw new NexusError(
        'WORKSPACE_NOT_RUNNING',
        `Workspace "${workspace.name}" has no container on Docker.`,
        {
          suggestion: `Start it with \`nexus workspace start ${workspace.name}\` (that recreates it).`,
          cause: error,
        },
      )
    }
    throw error
  }
}

/** cpu% over the engine's two samples, as `docker stats` computes it; memory without the page cache. */
export function summarizeStats(sample: ContainerStatsSample): StatsResult {
  const cpu = sample.cpu_stats
  const previous = sample.precpu_stats
  const cpuDelta = cpu.cpu_usage.total_usage - (previous?.cpu_usage?.total_usage ?? 0)
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (previous?.system_cpu_usage ?? 0)
  const cpus = cpu.online_cpus || cpu.cpu_usage.percpu_usage?.length || 1
  const cpuPercent = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0
  const memory = sample.memory_stats
  const stats = (memory.stats ?? {}) as Record<string, number | undefined>
  const cache = stats.inactive_file ?? stats.total_inactive_file ?? stats.cache ?? 0
  const usage = Math.max(0, (memory.usage ?? 0) - cache)
  // Without a limit the engine reports the host's memory (or a huge number) as the limit.
  const limit = memory.limit && memory.limit < 2 ** 60 ? memory.limit : null
  return { cpuPercent: Math.round(cpuPercent * 100) / 100, memoryBytes: usage, memoryLimitBytes: limit }
}

export async function workspaceStats(deps: DockerDeps, workspace: Workspace): Promise<StatsResult> {
  const container = namesFor(workspace).container
  // A stopped container still answers with a sample of zeros; say what is true instead.
  const details = await deps.engine.inspectContainer(container)
  if (!details?.State.Running) throw notRunning(workspace, undefined)
  try {
    return summarizeStats(await deps.engine.stats(container))
  } catch (error) {
    if (engineStatusOf(error) === 404 || engineStatusOf(error) === 409) throw notRunning(workspace, error)
    throw error
  }
}
