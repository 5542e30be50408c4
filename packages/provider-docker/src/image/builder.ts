import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, isAbsolute, resolve } from 'node:path'
import { NexusError, type Reporter } from '@nexus/core'
import { DEFAULT_BASE_IMAGE, type ImageChoice } from '../config.js'
import type { Engine, ImageDetails } from '../engine/engine.js'
import { LABELS, MANAGED_BY } from '../workspace/naming.js'
import { PACKAGE_VERSION } from '../version.js'
import { workspaceBuildContext } from './context.js'
import { RECIPE_DIGEST } from './recipe.js'

export const WORKSPACE_IMAGE_REPO = 'nexus-workspace'
export const PROJECT_IMAGE_REPO = 'nexus-project'

/** Whose uid/gid the workspace user gets: the host user's, so files in the bind-mounted worktree stay theirs. */
export interface HostIdentity {
  uid: number
  gid: number
}

export function hostIdentity(): HostIdentity {
  return { uid: process.getuid?.() ?? 1000, gid: process.getgid?.() ?? 1000 }
}

/** The user inside the workspace: root when the host user is root (the uid must match), `nexus` otherwise. */
export function workspaceUserFor(identity: HostIdentity): string {
  return identity.uid === 0 ? 'root' : 'nexus'
}

export interface WorkspaceImage {
  tag: string
  id: string
  base: string
  user: string
  /** False when an existing image was reused. */
  built: boolean
}

function slug(reference: string): string {
  const readable = reference
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 48)
  const digest = createHash('sha256').update(reference).digest('hex').slice(0, 6)
  return `${readable}-${digest}`
}

/** `nexus-workspace:<version>-u<uid>`, with the base in the tag unless it is the default one. */
export function workspaceImageTag(base: string, identity: HostIdentity): string {
  const suffix = base === DEFAULT_BASE_IMAGE ? '' : `-${slug(base)}`
  return `${WORKSPACE_IMAGE_REPO}:${PACKAGE_VERSION}-u${identity.uid}${suffix}`
}

/** Builds (or reuses) the image a workspace runs: the recipe layered onto a base, a project image, or a project Dockerfile. */
export class ImageBuilder {
  constructor(
    private readonly engine: Engine,
    private readonly reporter: Reporter,
    private readonly identity: HostIdentity,
  ) {}

  /** `project.dir` resolves a relative Dockerfile path; `project.name` keeps projects' images apart. */
  async ensure(
    choice: ImageChoice,
    project: { dir: string; name: string },
    options: { rebuild?: boolean } = {},
  ): Promise<WorkspaceImage> {
    const rebuild = options.rebuild ?? false
    const base =
      choice.kind === 'dockerfile'
        ? await this.ensureProjectImage(choice.reference, project, rebuild)
        : choice.reference
    return this.ensureLayered(base, choice.kind, rebuild)
  }

  private async ensureLayered(
    base: string,
    kind: ImageChoice['kind'],
    rebuild: boolean,
  ): Promise<WorkspaceImage> {
    const tag = workspaceImageTag(base, this.identity)
    const user = workspaceUserFor(this.identity)
    const [existing, baseImage] = await Promise.all([
      this.engine.inspectImage(tag),
      this.engine.inspectImage(base),
    ])
    if (existing && !rebuild && this.isCurrent(existing, baseImage))
      return { tag, id: existing.Id, base, user, built: false }

    const ensuredBase = baseImage ?? (await this.pullBase(base, kind))
    const done = this.reporter.step(`Building workspace image ${tag} from ${base}`)
    try {
      const id = await this.engine.buildImage({
        context: workspaceBuildContext(base),
        tag,
        buildArgs: { NEXUS_UID: String(this.identity.uid), NEXUS_GID: String(this.identity.gid) },
        labels: {
          [LABELS.managedBy]: MANAGED_BY,
          [LABELS.image]: 'workspace',
          [LABELS.recipe]: RECIPE_DIGEST,
          [LABELS.base]: base,
          [LABELS.baseId]: ensuredBase.Id,
          [LABELS.user]: user,
        },
        onProgress: (event) => this.reporter.debug(event.text),
      })
      done('done')
      return { tag, id, base, user, built: true }
    } catch (error) {
      done('failed')
      throw error
    }
  }

  /** Reusable when built from this recipe on the base as it is now (a base no longer present cannot be compared). */
  private isCurrent(existing: ImageDetails, baseImage: ImageDetails | null): boolean {
    const labels = existing.Config?.Labels ?? {}
    if (labels[LABELS.recipe] !== RECIPE_DIGEST) return false
    return baseImage === null || labels[LABELS.baseId] === baseImage.Id
  }

  private async pullBase(base: string, kind: ImageChoice['kind']): Promise<ImageDetails> {
    const done = this.reporter.step(`Pulling ${base}`)
    try {
      await this.engine.pullImage(base, (event) => this.reporter.debug(event.text))
      const pulled = await this.engine.inspectImage(base)
      if (!pulled) throw new Error(`${base} is still missing after the pull`)
      done('done')
      return pulled
    } catch (error) {
      done('failed')
      throw missingImage(base, kind, error)
    }
  }

  private async ensureProjectImage(
    dockerfile: string,
    project: { dir: string; name: string },
    rebuild: boolean,
  ): Promise<string> {
    const path = isAbsolute(dockerfile) ? dockerfile : resolve(project.dir, dockerfile)
    if (!existsSync(path)) {
      throw new NexusError('CONFIG_INVALID', `The Dockerfile ${path} does not exist.`, {
        suggestion:
          'Fix backends.docker.dockerfile (relative to the repository root), or pass --dockerfile <path>.',
      })
    }
    // Keyed on the Dockerfile's content: an edit rebuilds; changes to copied files need `docker.image.build`.
    const digest = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12)
    const tag = `${PROJECT_IMAGE_REPO}:${project.name}-${digest}`
    if (!rebuild && (await this.engine.inspectImage(tag))) return tag
    const done = this.reporter.step(`Building project image ${tag} from ${path}`)
    try {
      await this.engine.buildImageFromDirectory({
        directory: dirname(path),
        dockerfile: basename(path),
        tag,
        labels: { [LABELS.managedBy]: MANAGED_BY, [LABELS.image]: 'project' },
        onProgress: (event) => this.reporter.debug(event.text),
      })
      done('done')
      return tag
    } catch (error) {
      done('failed')
      throw error
    }
  }
}

function missingImage(reference: string, kind: ImageChoice['kind'], cause: unknown): NexusError {
  if (kind === 'base') {
    return new NexusError(
      'BACKEND_ERROR',
      `The base image ${reference} is missing and could not be pulled.`,
      {
        suggestion: `Provide it locally (e.g. \`docker import rootfs.tar ${reference}\`), or use a local image with \`nexus config set backends.docker.base_image <local image>\`.`,
        cause,
        details: { image: reference },
      },
    )
  }
  return new NexusError('BACKEND_ERROR', `The image ${reference} is missing and could not be pulled.`, {
    suggestion: `Build or load it (\`docker build -t ${reference} .\` or \`docker load\`), or choose another with --image.`,
    cause,
    details: { image: reference },
  })
}
