import { NexusError, type CreateRequest, type CreateResult, type JsonObject } from '@nexus/core'
import { diagnoseFor, findSprite, type SpriteDeps } from './deps.js'
import { ENV_FILE, WORKDIR, labelsFor, refFor, spriteNameFor, workspaceIdOf } from './naming.js'
import { ENV_NAME, envFileContent } from './shell.js'
import { cloneInside, transferWorktree } from './transfer.js'

function option(options: JsonObject, key: string): string | undefined {
  const value = options[key]
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

/**
 * A sprite for the workspace, labelled with its id and marked stopped (nexus starts it next), with the worktree's
 * content in the work dir, or a clone of `--from` there. A sprite left by an earlier, interrupted create of the same
 * workspace is reused; one that belongs to something else is not touched.
 */
export async function provisionSprite(deps: SpriteDeps, request: CreateRequest): Promise<CreateResult> {
  const { workspace, spec } = request
  const name = spriteNameFor(workspace)
  const invalidEnv = Object.keys(spec.env).filter((key) => !ENV_NAME.test(key))
  if (invalidEnv.length > 0) {
    throw new NexusError(
      'INVALID_ARGUMENT',
      `Environment variable name(s) ${invalidEnv.join(', ')} cannot be exported in a sprite.`,
      {
        suggestion:
          'Use names of letters, digits and underscores (not starting with a digit) in `env:` and env files.',
      },
    )
  }

  const existing = await findSprite(deps, name)
  if (existing && workspaceIdOf(existing.labels) !== workspace.id) {
    throw new NexusError(
      'BACKEND_ERROR',
      `A sprite named ${name} already exists and is not this workspace's.`,
      {
        suggestion: `Choose another workspace name, or delete that sprite if it is a leftover (\`sprite destroy ${name}\`).`,
        details: { sprite: name },
      },
    )
  }
  if (!existing) {
    await deps.api.call(`create sprite ${name}`, (client) =>
      client.createSprite(name, {
        labels: labelsFor(workspace, true, deps.homeId),
        urlSettings: { auth: 'sprite' },
      }),
    )
  }

  const sprite = await deps.api.sprite(name)
  const diagnose = diagnoseFor(deps, name, workspace.name)
  await deps.api.call(`create ${WORKDIR} in sprite ${name}`, () =>
    sprite.filesystem('/').mkdir(WORKDIR, { recursive: true }),
  )
  if (Object.keys(spec.env).length > 0) {
    await deps.api.call(`write the workspace environment in sprite ${name}`, () =>
      sprite.filesystem('/').writeFile(ENV_FILE, envFileContent(spec.env), { mode: 0o600 }),
    )
  }
  const gitUrl = option(spec.options, 'gitUrl')
  if (gitUrl) {
    const branch = option(spec.options, 'gitBranch')
    await cloneInside(sprite, WORKDIR, { url: gitUrl, ...(branch ? { branch } : {}) }, diagnose, deps.clock)
  } else {
    await transferWorktree(sprite, workspace.worktreePath, WORKDIR, diagnose)
  }
  return { backendRef: refFor(name) }
}
