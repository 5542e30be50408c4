import {
  PROVIDER_API_VERSION,
  isNexusError,
  type BackendResource,
  type Capabilities,
  type CreateRequest,
  type CreateResult,
  type ExecRequest,
  type ExecResult,
  type HealthResult,
  type InspectResult,
  type JsonValue,
  type LogsRequest,
  type OperationDescriptor,
  type OperationRequest,
  type Provider,
  type ProviderSnapshots,
  type SshEndpoint,
  type StartResult,
  type StatsResult,
  type Workspace,
} from '@nexus/core'
import { chooseImage, stopGraceSeconds } from './config.js'
import { DOCKER_OPERATIONS, runDockerOperation } from './operations/index.js'
import { dockerSnapshots, sweepRetiredImages } from './snapshots/index.js'
import { sshEndpointOf } from './workspace/endpoint.js'
import {
  backendRefOf,
  destroyWorkspace,
  inspectWorkspace,
  listResources,
  pauseWorkspace,
  resumeWorkspace,
  startWorkspace,
  stopWorkspace,
} from './workspace/lifecycle.js'
import { provisionAll, type DockerDeps } from './workspace/provision.js'
import { execInWorkspace, workspaceLogs, workspaceStats } from './workspace/runtime.js'
import type { StoredWorkspace } from './workspace/store.js'

export const DOCKER_CAPABILITIES: Capabilities = {
  ssh: true,
  exec: true,
  pause: true,
  volumes: true,
  images: true,
  networks: true,
  services: true,
  logs: true,
  stats: true,
  snapshots: true,
}

/** A workspace is a container over its worktree on a bridge network of its own, with its services beside it. */
export class DockerProvider implements Provider {
  readonly apiVersion = PROVIDER_API_VERSION
  readonly name = 'docker'

  readonly snapshots: ProviderSnapshots

  constructor(private readonly deps: DockerDeps) {
    this.snapshots = dockerSnapshots(deps)
  }

  capabilities(): Capabilities {
    return { ...DOCKER_CAPABILITIES }
  }

  operations(): OperationDescriptor[] {
    return DOCKER_OPERATIONS
  }

  async create({ workspace, spec }: CreateRequest): Promise<CreateResult> {
    const stored: StoredWorkspace = {
      version: 1,
      env: spec.env,
      authorizedKeys: spec.authorizedKeys,
      gitCommonDir: spec.gitCommonDir,
      image: chooseImage(this.deps.config, spec.options),
      volumes: [],
      networks: [],
    }
    await this.deps.store.write(workspace.id, stored)
    try {
      const { containerId } = await provisionAll(this.deps, workspace, stored)
      return { backendRef: backendRefOf(this.deps, workspace, containerId) }
    } catch (error) {
      // Core destroys what a failed create made; that cannot reach the record when the engine is down, so drop it here.
      await this.deps.store.remove(workspace.id)
      throw error
    }
  }

  start(workspace: Workspace): Promise<StartResult> {
    return startWorkspace(this.deps, workspace)
  }

  stop(workspace: Workspace, options?: { graceSeconds?: number }): Promise<void> {
    return stopWorkspace(
      this.deps,
      workspace,
      options?.graceSeconds ?? stopGraceSeconds(this.deps.globalConfig),
    )
  }

  pause(workspace: Workspace): Promise<void> {
    return pauseWorkspace(this.deps, workspace)
  }

  resume(workspace: Workspace): Promise<void> {
    return resumeWorkspace(this.deps, workspace)
  }

  async destroy(workspace: Workspace, options?: { removeVolumes?: boolean }): Promise<void> {
    await destroyWorkspace(this.deps, workspace, {
      removeVolumes: options?.removeVolumes ?? false,
      graceSeconds: stopGraceSeconds(this.deps.globalConfig),
    })
    // Its container may have been the last user of a deleted snapshot's image; a leftover is swept next time.
    await sweepRetiredImages(this.deps).catch(() => undefined)
  }

  inspect(workspace: Workspace): Promise<InspectResult> {
    return inspectWorkspace(this.deps, workspace)
  }

  list(): Promise<BackendResource[]> {
    return listResources(this.deps)
  }

  async sshEndpoint(workspace: Workspace): Promise<SshEndpoint> {
    return sshEndpointOf(workspace, this.deps.identity, this.deps.nexusHome)
  }

  exec(workspace: Workspace, request: ExecRequest): Promise<ExecResult> {
    return execInWorkspace(this.deps, workspace, request)
  }

  logs(workspace: Workspace, request: LogsRequest): Promise<void> {
    return workspaceLogs(this.deps, workspace, request)
  }

  stats(workspace: Workspace): Promise<StatsResult> {
    return workspaceStats(this.deps, workspace)
  }

  async health(): Promise<HealthResult> {
    const { engine } = this.deps
    try {
      await engine.ping()
      const base = this.deps.config.baseImage
      const [version, baseImage] = await Promise.all([engine.version(), engine.inspectImage(base)])
      // A missing base is worth saying before the first create has to pull it (and fails without a registry).
      const baseNote = baseImage
        ? ''
        : ` The base image ${base} is not on this machine yet; it is pulled on first create.`
      return {
        ok: true,
        message: `Docker ${version.version} (API ${version.apiVersion}, ${version.os}/${version.arch}) at ${engine.location}.${baseNote}`,
        details: {
          location: engine.location,
          version: version.version,
          apiVersion: version.apiVersion,
          baseImage: base,
          baseImagePresent: baseImage !== null,
        },
      }
    } catch (error) {
      if (!isNexusError(error)) throw error
      return {
        ok: false,
        message: error.message,
        details: { code: error.code, suggestion: error.suggestion ?? null, location: engine.location },
      }
    }
  }

  runOperation(request: OperationRequest): Promise<JsonValue> {
    return runDockerOperation(this.deps, request)
  }
}
