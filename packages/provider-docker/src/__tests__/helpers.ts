import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import Dockerode from 'dockerode'
import type { JsonObject, PortMapping, Provider, Workspace, WorkspaceSpec } from '@nexus/core'
import { captureStream, createTestProviderContext, makeTestWorkspace } from '@nexus/core/testing'
import { createDockerProvider } from '../provider.js'
import type { DockerProvider } from '../docker-provider.js'

/** `debian:bookworm-slim` cannot be pulled here; this local image has what the recipe needs already. */
export const TEST_BASE_IMAGE = 'nexus-base:bookworm'

/** Tags everything a test run makes (through the workspace labels) so afterAll can remove it by label. */
export const RUN_ID = randomBytes(3).toString('hex')
export const RUN_LABEL = `dev.nexus.label.test-run=${RUN_ID}`

export const docker = new Dockerode()

export interface TestHome {
  nexusHome: string
  provider(options?: {
    config?: JsonObject
    globalConfig?: JsonObject
    env?: Record<string, string | undefined>
  }): DockerProvider
  cleanup(): Promise<void>
}

export async function makeTestHome(): Promise<TestHome> {
  const nexusHome = await mkdtemp(join(tmpdir(), 'nexus-docker-home-'))
  return {
    nexusHome,
    provider: (options = {}) =>
      createDockerProvider(
        createTestProviderContext({
          nexusHome,
          config: { base_image: TEST_BASE_IMAGE, ...options.config },
          globalConfig: options.globalConfig ?? {},
          env: options.env ?? { ...process.env },
        }),
      ),
    cleanup: () => rm(nexusHome, { recursive: true, force: true }),
  }
}

export interface DraftedWorkspace {
  workspace: Workspace
  spec: WorkspaceSpec
  identityPath: string
  repoRoot: string
  cleanup(): Promise<void>
}

/**
 * A real repository + worktree + key pair (core's test fixture), with a name unique to this run and the run label.
 * `ports` adds mappings inside the workspace's free port block (`offset` 1–9 from the ssh port).
 */
export async function draftWorkspace(
  label: string,
  ports: Array<Omit<PortMapping, 'hostPort'> & { offset: number }> = [],
): Promise<DraftedWorkspace> {
  const made = await makeTestWorkspace({ backend: 'docker', name: `t${RUN_ID}-${label}`, withSshKey: true })
  const base = made.workspace.portBlockStart
  const extra = ports.map(({ offset, ...mapping }) => ({ ...mapping, hostPort: base + offset }))
  return {
    workspace: {
      ...made.workspace,
      labels: { 'test-run': RUN_ID },
      ports: [...made.workspace.ports, ...extra],
    },
    spec: made.spec,
    identityPath: made.identityPath as string,
    repoRoot: made.repoRoot,
    cleanup: made.cleanup,
  }
}

/** Creates and starts, returning the record as core would keep it. */
export async function createRunning(provider: Provider, drafted: DraftedWorkspace): Promise<Workspace> {
  const created = await provider.create({ workspace: drafted.workspace, spec: drafted.spec })
  const workspace = { ...drafted.workspace, status: 'stopped' as const, backendRef: created.backendRef }
  const started = await provider.start(workspace)
  return { ...workspace, status: 'running', backendRef: started?.backendRef ?? workspace.backendRef }
}

export async function execText(
  provider: Provider,
  workspace: Workspace,
  command: string[],
  options: { stdin?: Readable; env?: Record<string, string> } = {},
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const stdout = captureStream()
  const stderr = captureStream()
  const exec = provider.exec
  if (!exec) throw new Error('the docker provider lost its native exec')
  const { exitCode } = await exec.call(provider, workspace, {
    command,
    stdout: stdout.stream,
    stderr: stderr.stream,
    ...options,
  })
  return { exitCode, stdout: stdout.text(), stderr: stderr.text() }
}

/** Runs a shell line in the workspace and returns its stdout, failing the test on a non-zero exit. */
export async function sh(provider: Provider, workspace: Workspace, line: string): Promise<string> {
  const result = await execText(provider, workspace, ['sh', '-c', line])
  if (result.exitCode !== 0) throw new Error(`\`${line}\` exited ${result.exitCode}: ${result.stderr}`)
  return result.stdout
}

/** Removes every container, network and volume this test run made, whatever state the tests left them in. */
export async function removeRunResources(): Promise<void> {
  const filters = { label: [RUN_LABEL] }
  const containers = await docker.listContainers({ all: true, filters })
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  )
  const networks = await docker.listNetworks({ filters })
  await Promise.all(
    networks.map((n) =>
      docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined),
    ),
  )
  const { Volumes: volumes } = await docker.listVolumes({ filters })
  await Promise.all(
    (volumes ?? []).map((v) =>
      docker
        .getVolume(v.Name)
        .remove()
        .catch(() => undefined),
    ),
  )
}

/** Counts what Docker still holds for a workspace id: containers, networks, volumes. */
export async function leftoversOf(
  workspaceId: string,
): Promise<{ containers: number; networks: number; volumes: number }> {
  const filters = { label: [`dev.nexus.workspace-id=${workspaceId}`] }
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ])
  return { containers: containers.length, networks: networks.length, volumes: (volumes.Volumes ?? []).length }
}

/** The system OpenSSH client into a workspace with a key (loopback, ephemeral host keys: no checks). */
export async function sshCli(
  identityPath: string,
  port: number,
  user: string,
  command: string,
): Promise<string> {
  const { stdout } = await promisify(execFile)('ssh', [
    ...['-i', identityPath, '-p', String(port)],
    ...['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes'],
    ...['-o', 'LogLevel=ERROR', `${user}@127.0.0.1`, command],
  ])
  return stdout
}

export function millis(since: number): number {
  return Math.round(performance.now() - since)
}
