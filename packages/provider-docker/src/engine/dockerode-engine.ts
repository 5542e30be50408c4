import type Dockerode from 'dockerode'
import type {
  BuildRequest,
  CommitSpec,
  ContainerDetails,
  ContainerSpec,
  ContainerStatsSample,
  ContainerSummary,
  DirectoryBuildRequest,
  Engine,
  EngineInfo,
  EngineVersion,
  ExecSpec,
  ImageDetails,
  LogsSpec,
  NetworkDetails,
  ProgressEvent,
  VolumeDetails,
} from './engine.js'
import {
  engineMessage,
  isNotFound,
  isNotModified,
  isTransientEngineError,
  statusCodeOf,
  toNexusError,
} from './errors.js'
import type { EngineEndpoint } from './host.js'
import { buildFromDirectory, buildFromStream, execAttached, pull, readLogs } from './dockerode-streams.js'
import {
  containerOf,
  countEventsOver,
  createModem,
  imageOf,
  listContainersOver,
  loadDockerode,
  networkOf,
  volumeOf,
  type Modem,
} from './dockerode-parts.js'
import { DEFAULT_RETRY, systemClock, withRetry, type Clock } from './retry.js'

function labelFilter(labels: string[]): { label: string[] } {
  return { label: labels }
}

/**
 * The Engine over dockerode. Every call maps failures to NexusErrors and retries the engine's transient ones.
 * Calls on one existing container, network, image or volume use dockerode's classes straight over the modem; only
 * the calls that need the Docker client itself load it (see dockerode-parts.ts for why).
 */
export class DockerodeEngine implements Engine {
  private cachedInfo: Promise<EngineInfo> | undefined
  private client: Promise<Dockerode> | undefined

  constructor(
    private readonly modem: Modem,
    readonly location: string,
    private readonly clock: Clock = systemClock,
  ) {}

  static fromEndpoint(endpoint: EngineEndpoint, clock?: Clock): DockerodeEngine {
    return new DockerodeEngine(createModem(endpoint.options), endpoint.location, clock)
  }

  private docker(): Promise<Dockerode> {
    this.client ??= loadDockerode(this.modem)
    return this.client
  }

  private async call<T>(doing: string, fn: () => Promise<T>, options: { retry?: boolean } = {}): Promise<T> {
    try {
      if (options.retry === false) return await fn()
      return await withRetry(fn, { ...DEFAULT_RETRY, clock: this.clock, isRetryable: isTransientEngineError })
    } catch (error) {
      throw toNexusError(error, doing, this.location)
    }
  }

  /** Like call(), but a 404 (and optionally other "it is not there" answers) resolves to `absent`. */
  private async unlessAbsent<T, A>(
    doing: string,
    fn: () => Promise<T>,
    absent: A,
    alsoAbsent?: (error: unknown) => boolean,
  ): Promise<T | A> {
    return this.call(doing, async () => {
      try {
        return await fn()
      } catch (error) {
        if (isNotFound(error) || alsoAbsent?.(error)) return absent
        throw error
      }
    })
  }

  async ping(): Promise<void> {
    await this.call('answer a ping', async () => (await this.docker()).ping(), { retry: false })
  }

  async version(): Promise<EngineVersion> {
    const v = await this.call('report its version', async () => (await this.docker()).version())
    return { version: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch }
  }

  info(): Promise<EngineInfo> {
    this.cachedInfo ??= this.call('describe itself', async () => {
      const info = (await (await this.docker()).info()) as { NCPU?: number; MemTotal?: number }
      return { cpus: info.NCPU ?? 1, memoryBytes: info.MemTotal ?? 0 }
    })
    return this.cachedInfo
  }

  inspectImage(reference: string): Promise<ImageDetails | null> {
    return this.unlessAbsent(
      `inspect image ${reference}`,
      () => imageOf(this.modem, reference).inspect(),
      null,
    )
  }

  async pullImage(reference: string, onProgress?: (event: ProgressEvent) => void): Promise<void> {
    await this.call(`pull image ${reference}`, async () => pull(await this.docker(), reference, onProgress), {
      retry: false,
    })
  }

  buildImage(request: BuildRequest): Promise<string> {
    return this.call(
      `build image ${request.tag}`,
      async () => buildFromStream(await this.docker(), request),
      {
        retry: false,
      },
    )
  }

  buildImageFromDirectory(request: DirectoryBuildRequest): Promise<string> {
    return this.call(
      `build image ${request.tag}`,
      async () => buildFromDirectory(await this.docker(), request),
      {
        retry: false,
      },
    )
  }

  async pruneImages(labels: string[]): Promise<{ removed: string[]; reclaimedBytes: number }> {
    const result = await this.call('prune images', async () =>
      (await this.docker()).pruneImages({ filters: { dangling: ['true'], ...labelFilter(labels) } }),
    )
    const removed = (result.ImagesDeleted ?? [])
      .map((entry) => entry.Deleted ?? entry.Untagged ?? '')
      .filter(Boolean)
    return { removed, reclaimedBytes: result.SpaceReclaimed ?? 0 }
  }

  async commitContainer(container: string, spec: CommitSpec): Promise<string> {
    const labels = Object.entries(spec.labels ?? {}).map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    const result = (await this.call(`commit container ${container}`, () =>
      containerOf(this.modem, container).commit({
        repo: spec.repo,
        tag: spec.tag,
        pause: true,
        ...(labels.length ? { changes: `LABEL ${labels.join(' ')}` } : {}),
      }),
    )) as { Id?: string }
    return result.Id ?? ''
  }

  removeImage(reference: string, options: { force?: boolean } = {}): Promise<boolean> {
    return this.unlessAbsent(
      `remove image ${reference}`,
      async () => (await imageOf(this.modem, reference).remove({ force: options.force ?? false }), true),
      false,
    )
  }

  async tagImage(image: string, repo: string, tag: string): Promise<void> {
    await this.call(`tag image ${image} as ${repo}:${tag}`, () =>
      imageOf(this.modem, image).tag({ repo, tag }),
    )
  }

  async listImageTags(pattern: string): Promise<string[]> {
    const images = await this.call('list images', async () =>
      (await this.docker()).listImages({ filters: { reference: [pattern] } }),
    )
    return images.flatMap((image) => image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>')
  }

  async createNetwork(name: string, labels: Record<string, string>, subnet?: string): Promise<string> {
    const network = await this.call(`create network ${name}`, async () =>
      (await this.docker()).createNetwork({
        Name: name,
        Driver: 'bridge',
        Labels: labels,
        CheckDuplicate: true,
        ...(subnet ? { IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] } } : {}),
      }),
    )
    return network.id
  }

  async listNetworkSubnets(): Promise<string[]> {
    const networks = await this.call('list networks', async () => (await this.docker()).listNetworks())
    return networks.flatMap((n) =>
      (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => typeof s === 'string'),
    )
  }

  inspectNetwork(name: string): Promise<NetworkDetails | null> {
    return this.unlessAbsent(
      `inspect network ${name}`,
      () => networkOf(this.modem, name).inspect() as Promise<NetworkDetails>,
      null,
    )
  }

  removeNetwork(name: string): Promise<boolean> {
    return this.unlessAbsent(
      `remove network ${name}`,
      async () => (await networkOf(this.modem, name).remove(), true),
      false,
    )
  }

  async connectNetwork(network: string, container: string, aliases: string[]): Promise<void> {
    const already = (error: unknown) =>
      statusCodeOf(error) === 403 && /already exists/i.test(engineMessage(error))
    await this.call(`connect ${container} to network ${network}`, async () => {
      try {
        await networkOf(this.modem, network).connect({
          Container: container,
          EndpointConfig: { Aliases: aliases },
        })
      } catch (error) {
        if (!already(error)) throw error
      }
    })
  }

  async disconnectNetwork(network: string, container: string): Promise<void> {
    const notConnected = (error: unknown) => /is not connected/i.test(engineMessage(error))
    await this.unlessAbsent(
      `disconnect ${container} from network ${network}`,
      () =>
        networkOf(this.modem, network).disconnect({ Container: container, Force: false }) as Promise<unknown>,
      undefined,
      notConnected,
    )
  }

  async createVolume(
    name: string,
    labels: Record<string, string>,
    driver?: { name: string; options: Record<string, string> },
  ): Promise<void> {
    await this.call(`create volume ${name}`, async () =>
      (await this.docker()).createVolume({
        Name: name,
        Labels: labels,
        ...(driver ? { Driver: driver.name, DriverOpts: driver.options } : {}),
      }),
    )
  }

  inspectVolume(name: string): Promise<VolumeDetails | null> {
    return this.unlessAbsent(`inspect volume ${name}`, () => volumeOf(this.modem, name).inspect(), null)
  }

  async listVolumes(labels: string[]): Promise<VolumeDetails[]> {
    const result = await this.call('list volumes', async () =>
      (await this.docker()).listVolumes({ filters: labelFilter(labels) }),
    )
    return result.Volumes ?? []
  }

  removeVolume(name: string): Promise<boolean> {
    return this.unlessAbsent(
      `remove volume ${name}`,
      async () => (await volumeOf(this.modem, name).remove(), true),
      false,
    )
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    const container = await this.call(`create container ${spec.name}`, async () =>
      (await this.docker()).createContainer(spec),
    )
    return container.id
  }

  inspectContainer(nameOrId: string): Promise<ContainerDetails | null> {
    return this.unlessAbsent(
      `inspect container ${nameOrId}`,
      () => containerOf(this.modem, nameOrId).inspect(),
      null,
    )
  }

  listContainers(labels: string[]): Promise<ContainerSummary[]> {
    return this.call('list containers', async () =>
      listContainersOver(this.modem, { all: true, filters: labelFilter(labels) }),
    )
  }

  startContainer(nameOrId: string): Promise<boolean> {
    return this.changeState(`start container ${nameOrId}`, () => containerOf(this.modem, nameOrId).start())
  }

  async stopContainer(nameOrId: string, graceSeconds: number): Promise<boolean> {
    const stopped = await this.unlessAbsent(
      `stop container ${nameOrId}`,
      async () => {
        try {
          await containerOf(this.modem, nameOrId).stop({ t: graceSeconds })
          return true
        } catch (error) {
          if (isNotModified(error)) return false
          throw error
        }
      },
      false,
    )
    return stopped
  }

  async pauseContainer(nameOrId: string): Promise<void> {
    await this.changeState(
      `pause container ${nameOrId}`,
      () => containerOf(this.modem, nameOrId).pause(),
      /already paused/i,
    )
  }

  async unpauseContainer(nameOrId: string): Promise<void> {
    await this.changeState(
      `resume container ${nameOrId}`,
      () => containerOf(this.modem, nameOrId).unpause(),
      /is not paused/i,
    )
  }

  /** Runs a state change; "already in that state" (304, or a 409 matching `alreadyThere`) resolves false. */
  private changeState(doing: string, fn: () => Promise<unknown>, alreadyThere?: RegExp): Promise<boolean> {
    return this.call(doing, async () => {
      try {
        await fn()
        return true
      } catch (error) {
        if (isNotModified(error)) return false
        if (alreadyThere && statusCodeOf(error) === 409 && alreadyThere.test(engineMessage(error)))
          return false
        throw error
      }
    })
  }

  removeContainer(nameOrId: string, options: { force?: boolean } = {}): Promise<boolean> {
    return this.unlessAbsent(
      `remove container ${nameOrId}`,
      async () => (
        await containerOf(this.modem, nameOrId).remove({ force: options.force ?? false, v: false }),
        true
      ),
      false,
    )
  }

  async waitContainer(nameOrId: string): Promise<number> {
    const result = (await this.call(
      `wait for container ${nameOrId}`,
      () => containerOf(this.modem, nameOrId).wait(),
      { retry: false },
    )) as { StatusCode?: number }
    return result.StatusCode ?? -1
  }

  exec(container: string, spec: ExecSpec): Promise<number> {
    return this.call(
      `run a command in ${container}`,
      () => execAttached(containerOf(this.modem, container), this.modem, spec, this.clock),
      {
        retry: false,
      },
    )
  }

  async logs(container: string, spec: LogsSpec): Promise<void> {
    await this.call(
      `read the logs of ${container}`,
      () => readLogs(containerOf(this.modem, container), this.modem, spec),
      {
        retry: false,
      },
    )
  }

  stats(container: string): Promise<ContainerStatsSample> {
    return this.call(`read the stats of ${container}`, () =>
      containerOf(this.modem, container).stats({ stream: false }),
    )
  }

  oomKillsSince(container: string, sinceUnixSeconds: number): Promise<number> {
    // A fractional `until` of now: a whole second ahead would make the engine hold the answer until then, and one
    // behind would miss an event of this very second.
    const now = Date.now() / 1000
    return this.call(`read the events of ${container}`, () =>
      countEventsOver(this.modem, {
        since: Math.floor(Math.min(sinceUnixSeconds, now)),
        until: now.toFixed(3),
        filters: { type: ['container'], container: [container], event: ['oom'] },
      }),
    )
  }
}
