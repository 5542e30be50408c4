import { createHash } from 'node:crypto'
import { basename } from 'node:path'
import type { JsonObject, Workspace } from '@nexus/core'

/** Where the worktree's content lives inside the sprite, and where commands start. */
export const WORKDIR = '/home/sprite/workspace'
/** The workspace environment (mode 0600), sourced by every command so it need not travel with each one. */
export const ENV_FILE = '/home/sprite/.nexus-env'

/**
 * Sprite names become DNS labels of the sprite URL (`<name>-<org>.sprites.app`), so they are kept to lower-case
 * letters, digits and dashes, and short enough to leave room for the org part.
 */
export const MAX_SPRITE_NAME = 48

export const LABELS = {
  managed: 'nexus',
  workspacePrefix: 'nexus-ws-',
  /** Set while nexus considers the workspace stopped: the sprite may be warm for a while before it goes cold. */
  stopped: 'nexus-stopped',
  /** `nexus-home-<core's nexusHomeId>`: which nexus installation made the sprite (an org is shared). */
  homePrefix: 'nexus-home-',
} as const

function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** `nexus-<repo>-<name>`, shortened with a hash of the full form when it would be too long. */
export function spriteNameFor(workspace: Pick<Workspace, 'name' | 'repoRoot'>): string {
  const repo = slug(basename(workspace.repoRoot)) || 'repo'
  const full = `nexus-${repo}-${workspace.name}`
  if (full.length <= MAX_SPRITE_NAME) return full
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 6)
  const room = MAX_SPRITE_NAME - `nexus--${hash}`.length
  return `nexus-${`${repo}-${workspace.name}`.slice(0, room).replace(/-+$/, '')}-${hash}`
}

export function homeLabel(homeId: string): string {
  return `${LABELS.homePrefix}${homeId}`
}

export function labelsFor(workspace: Pick<Workspace, 'id'>, stopped: boolean, homeId: string): string[] {
  return [
    LABELS.managed,
    homeLabel(homeId),
    `${LABELS.workspacePrefix}${workspace.id}`,
    ...(stopped ? [LABELS.stopped] : []),
  ]
}

/**
 * Whether this home may claim the sprite: it carries this home's label, or no home label at all (made before
 * sprites were labelled with their home). Only `strict` leaves the unlabelled ones out, for anything that deletes.
 */
export function madeByHome(labels: readonly string[], homeId: string, strict = false): boolean {
  if (labels.includes(homeLabel(homeId))) return true
  return !strict && !labels.some((label) => label.startsWith(LABELS.homePrefix))
}

export function workspaceIdOf(labels: readonly string[]): string | null {
  const label = labels.find((l) => l.startsWith(LABELS.workspacePrefix))
  return label ? label.slice(LABELS.workspacePrefix.length) : null
}

/** What the workspace record keeps: the sprite's name and work dir. Never a token. */
export interface SpriteRef {
  sprite: string
  workdir: string
}

export function refFor(name: string): JsonObject {
  return { sprite: name, workdir: WORKDIR }
}

/** The sprite behind a workspace: from its record, or from its name when create never got that far. */
export function spriteOf(workspace: Workspace): SpriteRef {
  const ref = workspace.backendRef
  const sprite = typeof ref?.sprite === 'string' ? ref.sprite : spriteNameFor(workspace)
  const workdir = typeof ref?.workdir === 'string' ? ref.workdir : WORKDIR
  return { sprite, workdir }
}
