import type { Checkpoint } from '@fly/sprites'
import { NexusError, isNexusError, withRetry, type JsonObject, type Workspace } from '@nexus/core'
import { diagnoseFor, requireSprite, type SpriteDeps } from '../workspace/deps.js'
import { spriteOf } from '../workspace/naming.js'
import { captureOnSprite } from '../workspace/run-command.js'
import { drainStream } from './streams.js'

export interface CheckpointView extends JsonObject {
  id: string
  createdAt: string
  comment: string
  auto: boolean
}

function view(checkpoint: Checkpoint): CheckpointView {
  return {
    id: checkpoint.id,
    createdAt: checkpoint.createTime.toISOString(),
    comment: checkpoint.comment ?? '',
    auto: checkpoint.isAuto === true,
  }
}

/** Real checkpoints only: the list also carries a `Current` pseudo-entry, which cannot be restored. */
async function checkpointsOf(deps: SpriteDeps, workspace: Workspace): Promise<Checkpoint[]> {
  const { sprite: name } = spriteOf(workspace)
  const sprite = await requireSprite(deps, name, workspace.name)
  const all = await deps.api.call(`list the checkpoints of sprite ${name}`, () => sprite.listCheckpoints())
  return all.filter((checkpoint) => checkpoint.id !== 'Current')
}

export async function listCheckpoints(
  deps: SpriteDeps,
  workspace: Workspace,
  includeAuto: boolean,
): Promise<CheckpointView[]> {
  const checkpoints = await checkpointsOf(deps, workspace)
  return checkpoints.filter((checkpoint) => includeAuto || checkpoint.isAuto !== true).map(view)
}

/**
 * Checkpoints the sprite's writable filesystem. The new id is not returned by the API: it is read from the stream's
 * `complete` message ("Checkpoint v8 created"), or found as the one checkpoint that was not there before.
 */
export async function createCheckpoint(
  deps: SpriteDeps,
  workspace: Workspace,
  comment: string | undefined,
): Promise<CheckpointView> {
  const { sprite: name } = spriteOf(workspace)
  const before = new Set((await checkpointsOf(deps, workspace)).map((checkpoint) => checkpoint.id))
  const sprite = await deps.api.sprite(name)
  const stream = await deps.api.call(`checkpoint sprite ${name}`, () => sprite.createCheckpoint(comment))
  const { events, errors } = await drainStream(stream)
  if (errors.length > 0) {
    throw new NexusError(
      'BACKEND_ERROR',
      `Sprites failed to checkpoint workspace "${workspace.name}": ${errors.join('; ')}.`,
      {
        suggestion: `Nothing was saved; run \`nexus workspace provider sprite checkpoint create ${workspace.name}\` again.`,
        details: { sprite: name, errors },
      },
    )
  }
  const announced = events
    .filter((event) => event.type === 'complete')
    .map((event) => /\b(v\d+)\b/.exec(event.data ?? '')?.[1])
    .find((id) => id !== undefined)
  const after = await checkpointsOf(deps, workspace)
  const created =
    after.find((checkpoint) => checkpoint.id === announced) ??
    after.find((checkpoint) => !before.has(checkpoint.id))
  if (!created) {
    throw new NexusError(
      'BACKEND_ERROR',
      `Sprites reported a checkpoint of workspace "${workspace.name}" but none new is listed.`,
      {
        suggestion: `See what exists with \`nexus workspace provider sprite checkpoint list ${workspace.name}\`.`,
      },
    )
  }
  return view(created)
}

/**
 * Puts a checkpoint back. It restarts the sprite's VM (running commands and sessions end), hence the warning; any
 * `error` in the stream makes it a failure, whatever the HTTP status said.
 */
export async function restoreCheckpoint(
  deps: SpriteDeps,
  workspace: Workspace,
  id: string,
): Promise<CheckpointView> {
  const { sprite: name } = spriteOf(workspace)
  const checkpoint = (await checkpointsOf(deps, workspace)).find((candidate) => candidate.id === id)
  if (!checkpoint) {
    throw new NexusError('INVALID_ARGUMENT', `Workspace "${workspace.name}" has no checkpoint "${id}".`, {
      suggestion: `List its checkpoints with \`nexus workspace provider sprite checkpoint list ${workspace.name} --include-auto\`.`,
    })
  }
  deps.reporter.warn(
    `Restoring ${id} restarts sprite ${name}: running commands, sessions and services are interrupted.`,
  )
  const sprite = await deps.api.sprite(name)
  const stream = await deps.api.call(`restore checkpoint ${id} of sprite ${name}`, () =>
    sprite.restoreCheckpoint(id),
  )
  const { errors } = await drainStream(stream)
  if (errors.length > 0) {
    throw new NexusError(
      'BACKEND_ERROR',
      `Restoring checkpoint ${id} of workspace "${workspace.name}" failed: ${errors.join('; ')}.`,
      {
        suggestion: `The sprite may be half-restored: check it with \`nexus workspace exec ${workspace.name} -- ls\`, then run the restore again.`,
        details: { sprite: name, checkpoint: id, errors },
      },
    )
  }
  await untilItAnswers(deps, workspace)
  return view(checkpoint)
}

/**
 * Restore is asynchronous on real sprites: the VM restarts after the stream ends. Waiting until a command runs again
 * means the next `exec` after a successful restore does not meet a sprite that is still coming back.
 */
async function untilItAnswers(deps: SpriteDeps, workspace: Workspace): Promise<void> {
  const { sprite: name, workdir } = spriteOf(workspace)
  const sprite = await deps.api.sprite(name)
  await withRetry(
    async () => {
      const { exitCode } = await captureOnSprite(
        sprite,
        { argv: ['true'], cwd: workdir },
        diagnoseFor(deps, name, workspace.name),
      )
      if (exitCode !== 0) {
        throw new NexusError(
          'BACKEND_UNAVAILABLE',
          `Sprite ${name} does not run commands after the restore.`,
          {
            suggestion: `Wait a moment, then check it with \`nexus workspace exec ${workspace.name} -- true\`.`,
          },
        )
      }
    },
    {
      attempts: 6,
      initialDelayMs: 500,
      maxDelayMs: 4000,
      isRetryable: (error) => isNexusError(error) && error.code === 'BACKEND_UNAVAILABLE',
      clock: deps.clock,
    },
  )
}
