import type { Readable, Writable } from 'node:stream'
import type Dockerode from 'dockerode'

export type ContainerSpec = Dockerode.ContainerCreateOptions & { name: string }
export type ContainerDetails = Dockerode.ContainerInspectInfo
export type ContainerSummary = Dockerode.ContainerInfo
export type ImageDetails = Dockerode.ImageInspectInfo
export type NetworkDetails = Dockerode.NetworkInspectInfo
export type VolumeDetails = Dockerode.VolumeInspectInfo
export type ContainerStatsSample = Dockerode.ContainerStats

export interface EngineVersion {
  version: string
  apiVersion: string
  os: string
  arch: string
}

export interface EngineInfo {
  cpus: number
  memoryBytes: number
}

/** One line of build or pull output, already decoded. */
export interface ProgressEvent {
  text: string
}

export interface BuildRequest {
  /** A tar stream holding the Dockerfile and everything it copies. */
  context: Readable
  tag: string
  buildArgs?: Record<string, string>
  labels?: Record<string, string>
  dockerfile?: string
  onProgress?: (event: ProgressEvent) => void
}

export interface DirectoryBuildRequest extends Omit<BuildRequest, 'context'> {
  /** A directory sent as the build context; `.dockerignore` in it is honoured. */
  directory: string
}

export interface ExecSpec {
  command: string[]
  user?: string
  cwd?: string
  env?: Record<string, string>
  tty?: boolean
  stdin?: Readable
  stdout: Writable
  stderr: Writable
}

export interface LogsSpec {
  follow: boolean
  tail?: number
  /** Unix seconds. */
  since?: number
  stdout: Writable
  stderr: Writable
}

export interface CommitSpec {
  repo: string
  tag: string
  labels?: Record<string, string>
}

/**
 * What nexus needs from a Docker engine. One implementation wraps dockerode; the interface keeps the workspace logic
 * readable and lets every engine call go through the same error mapping and retries.
 *
 * `inspect*` methods return null for something that does not exist; `remove*` return false for it: absence is a
 * normal answer for a tool that reconciles its records with reality.
 */
export interface Engine {
  /** Where the engine is, for messages (`unix:///var/run/docker.sock`). */
  readonly location: string
  ping(): Promise<void>
  version(): Promise<EngineVersion>
  info(): Promise<EngineInfo>

  inspectImage(reference: string): Promise<ImageDetails | null>
  pullImage(reference: string, onProgress?: (event: ProgressEvent) => void): Promise<void>
  buildImage(request: BuildRequest): Promise<string>
  buildImageFromDirectory(request: DirectoryBuildRequest): Promise<string>
  pruneImages(labels: string[]): Promise<{ removed: string[]; reclaimedBytes: number }>
  commitContainer(container: string, spec: CommitSpec): Promise<string>
  /** Resolves false when there was no such image. An image with several tags only loses the one named. */
  removeImage(reference: string, options?: { force?: boolean }): Promise<boolean>
  tagImage(image: string, repo: string, tag: string): Promise<void>
  /** The tags (`repo:tag`) of the images matching a reference pattern such as `repo:prefix-*`. */
  listImageTags(pattern: string): Promise<string[]>

  createNetwork(name: string, labels: Record<string, string>, subnet?: string): Promise<string>
  /** The IPv4 subnets of every network the engine has (one call). */
  listNetworkSubnets(): Promise<string[]>
  inspectNetwork(name: string): Promise<NetworkDetails | null>
  removeNetwork(name: string): Promise<boolean>
  connectNetwork(network: string, container: string, aliases: string[]): Promise<void>
  disconnectNetwork(network: string, container: string): Promise<void>

  createVolume(
    name: string,
    labels: Record<string, string>,
    driver?: { name: string; options: Record<string, string> },
  ): Promise<void>
  inspectVolume(name: string): Promise<VolumeDetails | null>
  listVolumes(labels: string[]): Promise<VolumeDetails[]>
  removeVolume(name: string): Promise<boolean>

  createContainer(spec: ContainerSpec): Promise<string>
  inspectContainer(nameOrId: string): Promise<ContainerDetails | null>
  listContainers(labels: string[]): Promise<ContainerSummary[]>
  /** Resolves false when it was already running. */
  startContainer(nameOrId: string): Promise<boolean>
  /** Resolves false when it was not running. */
  stopContainer(nameOrId: string, graceSeconds: number): Promise<boolean>
  pauseContainer(nameOrId: string): Promise<void>
  unpauseContainer(nameOrId: string): Promise<void>
  removeContainer(nameOrId: string, options?: { force?: boolean }): Promise<boolean>
  /** Waits for the container to exit and resolves its exit code. */
  waitContainer(nameOrId: string): Promise<number>
  exec(container: string, spec: ExecSpec): Promise<number>
  logs(container: string, spec: LogsSpec): Promise<void>
  stats(container: string): Promise<ContainerStatsSample>
  /** How many times the kernel's OOM killer struck in the container since a unix time (its `oom` events). */
  oomKillsSince(container: string, sinceUnixSeconds: number): Promise<number>
}
