import { readdirSync } from 'node:fs'
import { Readable } from 'node:stream'
import type Dockerode from 'dockerode'
import type { Modem } from './dockerode-parts.js'
import type { BuildRequest, DirectoryBuildRequest, ExecSpec, LogsSpec, ProgressEvent } from './engine.js'
import { followProgress } from './progress.js'
import type { Clock } from './retry.js'

/**
 * The engine endpoints that stream: builds and pulls (progress lines), exec (a hijacked connection) and logs. Plain
 * functions over a dockerode client (or, for exec and logs, one container and the modem); DockerodeEngine wraps them with its error mapping.
 */

function buildOptions(request: Omit<BuildRequest, 'context'>): Dockerode.ImageBuildOptions {
  return {
    t: request.tag,
    rm: true,
    forcerm: true,
    ...(request.buildArgs ? { buildargs: request.buildArgs } : {}),
    ...(request.labels ? { labels: request.labels } : {}),
    ...(request.dockerfile ? { dockerfile: request.dockerfile } : {}),
  }
}

async function finishBuild(
  docker: Dockerode,
  tag: string,
  stream: NodeJS.ReadableStream,
  onProgress?: (event: ProgressEvent) => void,
): Promise<string> {
  const outcome = await followProgress(stream, onProgress)
  return outcome.imageId ?? (await docker.getImage(tag).inspect()).Id
}

export async function buildFromStream(docker: Dockerode, request: BuildRequest): Promise<string> {
  const stream = await docker.buildImage(request.context, buildOptions(request))
  return finishBuild(docker, request.tag, stream, request.onProgress)
}

export async function buildFromDirectory(docker: Dockerode, request: DirectoryBuildRequest): Promise<string> {
  const context = { context: request.directory, src: readdirSync(request.directory) }
  const stream = await docker.buildImage(context, buildOptions(request))
  return finishBuild(docker, request.tag, stream, request.onProgress)
}

export async function pull(
  docker: Dockerode,
  reference: string,
  onProgress?: (event: ProgressEvent) => void,
): Promise<void> {
  const stream = (await docker.pull(reference)) as NodeJS.ReadableStream
  await followProgress(stream, onProgress)
}

export async function execAttached(
  container: Dockerode.Container,
  modem: Modem,
  spec: ExecSpec,
  clock: Clock,
): Promise<number> {
  const exec = await container.exec({
    Cmd: spec.command,
    AttachStdin: spec.stdin !== undefined,
    AttachStdout: true,
    AttachStderr: true,
    Tty: spec.tty ?? false,
    ...(spec.user ? { User: spec.user } : {}),
    ...(spec.cwd ? { WorkingDir: spec.cwd } : {}),
    ...(spec.env ? { Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`) } : {}),
  })
  const stream = await exec.start({ hijack: true, stdin: spec.stdin !== undefined, Tty: spec.tty ?? false })
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve)
    stream.on('close', resolve)
    stream.on('error', reject)
  })
  if (spec.tty) stream.pipe(spec.stdout, { end: false })
  else modem.demuxStream(stream, spec.stdout, spec.stderr)
  // pipe() ends the socket when stdin ends: a half-close, which the engine passes on to the process as EOF.
  spec.stdin?.pipe(stream)
  await finished
  spec.stdin?.unpipe(stream)
  return exitCodeOf(exec, clock)
}

/** The exec's exit code; the stream can end a moment before the engine records the process as exited. */
async function exitCodeOf(exec: Dockerode.Exec, clock: Clock): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const state = await exec.inspect()
    if (!state.Running && state.ExitCode !== null) return state.ExitCode
    await clock.sleep(5)
  }
  throw new Error('the command finished but the engine never reported its exit code')
}

export async function readLogs(container: Dockerode.Container, modem: Modem, spec: LogsSpec): Promise<void> {
  const options = {
    stdout: true,
    stderr: true,
    ...(spec.tail !== undefined ? { tail: spec.tail } : {}),
    ...(spec.since !== undefined ? { since: spec.since } : {}),
  }
  // Without follow the engine answers with one buffer; with it, a stream that ends when the container stops.
  const output: NodeJS.ReadableStream = spec.follow
    ? await container.logs({ ...options, follow: true })
    : Readable.from([await container.logs({ ...options, follow: false })])
  await new Promise<void>((resolve, reject) => {
    output.on('end', resolve)
    output.on('error', reject)
    modem.demuxStream(output, spec.stdout, spec.stderr)
  })
}
