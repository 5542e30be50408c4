import { Writable } from 'node:stream'
import { NexusError, type Workspace } from '@nexus/core'
import type { ContainerDetails, Engine } from '../engine/engine.js'
import { pollUntil } from '../engine/retry.js'
import { sshPortOf } from './endpoint.js'
import { namesFor } from './naming.js'
import { outOfMemoryMessage, outOfMemorySuggestion } from './out-of-memory.js'
import type { DockerDeps } from './provision.js'
import { readSshBanner } from './ssh-ready.js'

/** Enough of a crashing entrypoint's output to see why, without flooding the terminal. */
export const LAST_OUTPUT_LINES = 10
const MAX_LINE = 200

/** The last lines a container printed, stdout and stderr as the engine interleaved them; none when unreadable. */
export async function lastOutput(
  engine: Engine,
  container: string,
  lines = LAST_OUTPUT_LINES,
): Promise<string[]> {
  let text = ''
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString()
      done()
    },
  })
  try {
    await engine.logs(container, { follow: false, tail: lines, stdout: sink, stderr: sink })
  } catch {
    // The failure being reported matters more than its output: say what is known without it.
    return []
  }
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(Boolean)
    .slice(-lines)
    .map((line) => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line))
}

/** True when the kernel killed the container (not just a process in it) for going over its memory limit. */
export function killedForMemory(details: ContainerDetails): boolean {
  return !details.State.Running && details.State.OOMKilled && details.State.ExitCode === 137
}

/** Why a workspace container that exited during start did so: out of memory, or its exit code and last output. */
export async function exitedDuringStart(
  deps: DockerDeps,
  workspace: Workspace,
  details: ContainerDetails,
): Promise<NexusError> {
  const container = namesFor(workspace).container
  const output = await lastOutput(deps.engine, container)
  if (killedForMemory(details)) {
    return new NexusError(
      'WORKSPACE_START_FAILED',
      outOfMemoryMessage(workspace, `The container of workspace "${workspace.name}"`),
      {
        suggestion: outOfMemorySuggestion(workspace),
        details: {
          container,
          reason: 'out-of-memory',
          memoryGiB: workspace.resources.memory,
          lastOutput: output,
        },
      },
    )
  }
  // Errors print as one line (control characters are escaped), so the output's lines are joined with a bar.
  const shown = output.length ? ` Its last output: ${output.join(' | ')}` : ''
  return new NexusError(
    'WORKSPACE_START_FAILED',
    `sshd in workspace "${workspace.name}" did not answer on port ${sshPortOf(workspace)}: the container exited with code ${details.State.ExitCode}.${shown}`,
    {
      suggestion: `Fix the image or its entrypoint (all of its output: \`docker logs ${container}\`); a custom image needs /bin/sh and a working sshd.`,
      details: {
        container,
        port: sshPortOf(workspace),
        exitCode: details.State.ExitCode,
        lastOutput: output,
      },
    },
  )
}

/**
 * Waits for sshd's banner on the workspace's ssh port. Every ~200 ms it also looks at the container, so an sshd that
 * dies at once fails the start at once (with the reason and its last output) instead of after the whole timeout.
 */
export async function waitForWorkspaceSshd(deps: DockerDeps, workspace: Workspace): Promise<void> {
  const port = sshPortOf(workspace)
  const container = namesFor(workspace).container
  const timeoutMs = deps.config.startTimeoutSeconds * 1000
  let probes = 0
  const outcome = await pollUntil<'ready' | 'gone' | ContainerDetails>(
    async () => {
      if (await readSshBanner('127.0.0.1', port)) return 'ready'
      probes += 1
      if (probes % 10 !== 0) return undefined
      const details = await deps.engine.inspectContainer(container)
      if (!details) return 'gone'
      return details.State.Running ? undefined : details
    },
    { intervalMs: 20, timeoutMs, clock: deps.clock },
  )
  if (outcome === 'ready') return
  if (outcome !== undefined && outcome !== 'gone') throw await exitedDuringStart(deps, workspace, outcome)
  const why =
    outcome === 'gone' ? 'the container is gone' : `no answer within ${Math.round(timeoutMs / 1000)} s`
  throw new NexusError(
    'WORKSPACE_START_FAILED',
    `sshd in workspace "${workspace.name}" did not answer on port ${port}: ${why}.`,
    {
      suggestion: `Read the container's output with \`docker logs ${container}\`; a custom image needs /bin/sh and a working sshd.`,
      details: { container, port },
    },
  )
}
