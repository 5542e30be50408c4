import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describeError, NexusError } from '../errors/index.js'
import type { StateStore } from '../state/index.js'
import { writeFileAtomic } from '../util/atomic-file.js'
import { WORKSPACE_NAME_PATTERN, type Workspace } from '../workspace/index.js'
import type { ManagerDeps } from './deps.js'
import { pauseWorkspace, startWorkspace, stopWorkspace } from './lifecycle.js'

/** What `switch` does to the workspace being left (config `switch.previous`). */
export type SwitchPolicy = 'pause' | 'stop' | 'keep'

/** The state the workspace being left ends up in. */
export type PreviousAction = 'paused' | 'stopped' | 'kept'

export interface SwitchOptions {
  /** Overrides config `switch.previous` for this switch. */
  previous?: SwitchPolicy
}

export interface SwitchResult {
  workspace: Workspace
  /** The workspace that was current before, unless there was none, it is gone, or it is the target itself. */
  previous: { name: string; action: PreviousAction } | null
  worktreePath: string
}

/** `<repo>/.nexus/current`: one line, the name of the repository's current workspace. */
export function currentWorkspaceFile(repoRoot: string): string {
  return join(repoRoot, '.nexus', 'current')
}

async function readCurrentName(repoRoot: string): Promise<string | null> {
  // The file is a convenience pointer: missing, unreadable or garbled all mean "no current workspace".
  const text = await readFile(currentWorkspaceFile(repoRoot), 'utf8').catch(() => '')
  const name = text.trim()
  return WORKSPACE_NAME_PATTERN.test(name) ? name : null
}

/** The repository's current workspace, or null when none is recorded or the recorded one no longer exists. */
export async function currentWorkspace(state: StateStore, repoRoot: string): Promise<Workspace | null> {
  const name = await readCurrentName(repoRoot)
  if (name === null) return null
  const match = (await state.list()).find((w) => w.repoRoot === repoRoot && w.name === name)
  return match && match.status !== 'destroying' && match.status !== 'destroyed' ? match : null
}

async function writeCurrentName(repoRoot: string, name: string): Promise<void> {
  const file = currentWorkspaceFile(repoRoot)
  try {
    await writeFileAtomic(file, `${name}\n`)
  } catch (error) {
    throw new NexusError(
      'PERMISSION_DENIED',
      `Could not record ${name} as the current workspace in ${file}: ${describeError(error)}.`,
      {
        suggestion: `Make ${join(repoRoot, '.nexus')} writable for your user, then switch again.`,
        cause: error,
      },
    )
  }
}

/**
 * One switch at a time per repository, so two racing switches cannot both leave a workspace running. `destroy`
 * takes it too, so that it waits for a switch under way instead of removing a workspace half switched to.
 */
export function switchLockKey(repoRoot: string): string {
  return `switch-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)}`
}

/**
 * Sets aside the workspace being left. The target is already running, so a failure here is reported as a warning
 * and the previous workspace is left as it is: the switch itself has happened.
 */
async function setAside(
  deps: ManagerDeps,
  previous: Workspace,
  policy: SwitchPolicy,
): Promise<PreviousAction> {
  if (policy === 'keep') return 'kept'
  if (previous.status === 'stopped') return 'stopped'
  try {
    if (policy === 'stop') {
      if (previous.status !== 'running' && previous.status !== 'paused') return 'kept'
      await stopWorkspace(deps, previous)
      return 'stopped'
    }
    if (previous.status === 'paused') return 'paused'
    if (previous.status !== 'running') return 'kept'
    const provider = await deps.registry.get(previous.backend)
    if (provider.capabilities().pause !== true) {
      deps.reporter.warn(
        `The ${provider.name} backend cannot pause workspaces, so ${previous.name} keeps running; set switch.previous to stop or keep to choose.`,
      )
      return 'kept'
    }
    await pauseWorkspace(deps, previous)
    return 'paused'
  } catch (error) {
    deps.reporter.warn(`Could not ${policy} ${previous.name}, which keeps running: ${describeError(error)}`)
    return 'kept'
  }
}

/**
 * Makes `target` the repository's current workspace: starts or resumes it, records it in `.nexus/current`, then
 * pauses, stops or keeps the one that was current. The target comes first so that a target that fails to start
 * leaves the user where they were, with the previous workspace untouched.
 */
export async function switchWorkspace(
  deps: ManagerDeps,
  target: Workspace,
  options: SwitchOptions = {},
): Promise<SwitchResult> {
  const policy = options.previous ?? deps.loaded.config.switch.previous
  const { repoRoot } = target
  return deps.state.withLock(
    switchLockKey(repoRoot),
    async () => {
      const previous = await currentWorkspace(deps.state, repoRoot)
      const { workspace } = await startWorkspace(deps, target)
      if (previous?.name !== workspace.name) await writeCurrentName(repoRoot, workspace.name)
      const left =
        previous && previous.id !== workspace.id
          ? { name: previous.name, action: await setAside(deps, previous, policy) }
          : null
      return { workspace, previous: left, worktreePath: workspace.worktreePath }
    },
    { what: `The current workspace of ${repoRoot}` },
  )
}
