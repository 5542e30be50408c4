import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Workspace } from '@nexus/core'
import { captureStream, expectNexusError } from '@nexus/core/testing'
import {
  docker,
  draftWorkspace,
  execText,
  leftoversOf,
  makeTestHome,
  millis,
  removeRunResources,
  sh,
  sshCli,
  type DraftedWorkspace,
  type TestHome,
} from './__tests__/helpers.js'
import type { DockerProvider } from './docker-provider.js'
import { namesFor } from './workspace/naming.js'
import { readSshBanner } from './workspace/ssh-ready.js'

const run = promisify(execFile)
const uid = process.getuid?.() ?? 0
const user = uid === 0 ? 'root' : 'nexus'

describe('docker provider: one workspace through its life', () => {
  let home: TestHome
  let provider: DockerProvider
  let drafted: DraftedWorkspace
  let workspace: Workspace
  let container: string
  const timings: Record<string, number> = {}

  beforeAll(async () => {
    home = await makeTestHome()
    provider = home.provider({ globalConfig: { lifecycle: { stop_grace_seconds: 2 } } })
    drafted = await draftWorkspace('life')
    drafted.spec.env = { GREETING: 'hello from nexus', QUOTED: 'a "b" $c' }
    workspace = drafted.workspace
    container = namesFor(workspace).container
  })

  afterAll(async () => {
    console.log(`[provider-docker timings, ms] ${JSON.stringify(timings)}`)
    await removeRunResources()
    await drafted?.cleanup()
    await home?.cleanup()
  })

  it('reports a healthy engine, its version, and whether the base image is here', async () => {
    const health = await provider.health()
    expect(health.ok).toBe(true)
    expect(health.message).toMatch(/^Docker \S+ \(API [\d.]+, linux\/\w+\) at unix:\/\//)
    expect(health.details).toMatchObject({ baseImage: 'nexus-base:bookworm', baseImagePresent: true })
  })

  it('provisions a locked-down container over the worktree without starting it', async () => {
    const started = performance.now()
    const created = await provider.create({ workspace, spec: drafted.spec })
    timings.create = millis(started)
    workspace = { ...workspace, status: 'stopped', backendRef: created.backendRef }

    expect(created.backendRef).toMatchObject({ container, network: container, user })
    expect(await provider.inspect(workspace)).toMatchObject({ status: 'stopped' })
    const details = await docker.getContainer(container).inspect()
    expect(details.Config.Labels).toMatchObject({
      'dev.nexus.managed-by': 'nexus',
      'dev.nexus.workspace-id': workspace.id,
      'dev.nexus.workspace': workspace.name,
      'dev.nexus.repo': workspace.repoRoot,
    })
    expect(details.Mounts.map((m) => `${m.Type}:${m.Source}:${m.Destination}:${m.RW ? 'rw' : 'ro'}`)).toEqual(
      expect.arrayContaining([
        `bind:${workspace.worktreePath}:/workspace:rw`,
        `bind:${drafted.spec.gitCommonDir}:${drafted.spec.gitCommonDir}:rw`,
        `bind:${join(home.nexusHome, 'providers', 'docker', 'workspaces', workspace.id, 'authorized_keys')}:/etc/nexus/authorized_keys:ro`,
      ]),
    )
    expect(details.HostConfig.PortBindings).toEqual({
      '22/tcp': [{ HostIp: '127.0.0.1', HostPort: String(workspace.ports[0]?.hostPort) }],
    })
    expect(details.HostConfig.CapDrop).toEqual(['ALL'])
    expect(details.HostConfig.SecurityOpt).toEqual(['no-new-privileges:true'])
    expect(details.HostConfig).toMatchObject({ NanoCpus: 1e9, Memory: 2 * 1024 ** 3, PidsLimit: 4096 })
    expect(details.Config.WorkingDir).toBe('/workspace')
    const network = await docker.getNetwork(container).inspect()
    expect(network.Labels?.['dev.nexus.workspace-id']).toBe(workspace.id)
  })

  it('starts and returns once sshd greets on the published port', async () => {
    const started = performance.now()
    await provider.start(workspace)
    timings.start = millis(started)
    expect(await readSshBanner('127.0.0.1', workspace.ports[0]?.hostPort as number)).toMatch(
      /^SSH-2\.0-OpenSSH/,
    )
    expect(await provider.inspect(workspace)).toMatchObject({ status: 'running' })
  })

  it('treats start of a running workspace as a no-op', async () => {
    const before = (await docker.getContainer(container).inspect()).State.StartedAt
    await provider.start(workspace)
    expect((await docker.getContainer(container).inspect()).State.StartedAt).toBe(before)
  })

  it('runs commands natively as the host uid, in /workspace, with the workspace env', async () => {
    const result = await execText(provider, workspace, [
      'sh',
      '-c',
      'id -u; pwd; printf "%s|%s" "$GREETING" "$QUOTED"',
    ])
    expect(result).toMatchObject({ exitCode: 0, stdout: `${uid}\n/workspace\nhello from nexus|a "b" $c` })
    const started = performance.now()
    expect((await execText(provider, workspace, ['true'])).exitCode).toBe(0)
    timings.execTrue = millis(started)
  })

  it('passes stdin through, keeps stdout and stderr apart, and returns the exit code', async () => {
    const result = await execText(provider, workspace, ['sh', '-c', 'tr a-z A-Z; echo oops >&2; exit 7'], {
      stdin: Readable.from(['piped ', 'input\n']),
    })
    expect(result).toEqual({ exitCode: 7, stdout: 'PIPED INPUT\n', stderr: 'oops\n' })
  })

  it('shares /workspace with the worktree in both directions', async () => {
    await sh(provider, workspace, 'echo made-inside > inside.txt')
    expect(await readFile(join(workspace.worktreePath, 'inside.txt'), 'utf8')).toBe('made-inside\n')
    await writeFile(join(workspace.worktreePath, 'outside.txt'), 'made-outside\n')
    expect(await sh(provider, workspace, 'cat outside.txt')).toBe('made-outside\n')
  })

  it('commits made inside land on the workspace branch in the host repository', async () => {
    await sh(
      provider,
      workspace,
      'git add inside.txt && git -c user.name=t -c user.email=t@e.invalid commit -q -m "from the container"',
    )
    const { stdout } = await run('git', [
      '-C',
      drafted.repoRoot,
      'log',
      '-1',
      '--format=%s',
      workspace.branch,
    ])
    expect(stdout.trim()).toBe('from the container')
  })

  it('accepts the key with the ssh CLI, and SSH sessions see the workspace env', async () => {
    const stdout = await sshCli(
      drafted.identityPath,
      Number(workspace.ports[0]?.hostPort),
      user,
      'id -u; echo "$GREETING"; git -C /workspace rev-parse --abbrev-ref HEAD',
    )
    expect(stdout).toBe(`${uid}\nhello from nexus\n${workspace.branch}\n`)
    const endpoint = await provider.sshEndpoint(workspace)
    expect(endpoint).toEqual({
      host: '127.0.0.1',
      port: workspace.ports[0]?.hostPort,
      user,
      identity: join(home.nexusHome, 'keys', 'id_ed25519'),
      forwardAgent: true,
      workdir: '/workspace',
    })
  })

  it('shows the container output and a stats sample', async () => {
    const stdout = captureStream()
    const stderr = captureStream()
    await provider.logs(workspace, { stdout: stdout.stream, stderr: stderr.stream, tail: 50 })
    expect(stdout.text() + stderr.text()).toContain('Server listening on')
    const stats = await provider.stats(workspace)
    expect(stats.memoryBytes).toBeGreaterThan(0)
    expect(stats.memoryLimitBytes).toBe(2 * 1024 ** 3)
    expect(stats.cpuPercent).toBeGreaterThanOrEqual(0)
  })

  it('pauses and resumes', async () => {
    await provider.pause(workspace)
    expect(await provider.inspect(workspace)).toMatchObject({ status: 'paused' })
    await provider.resume(workspace)
    expect(await provider.inspect(workspace)).toMatchObject({ status: 'running' })
    expect(await sh(provider, workspace, 'echo awake')).toBe('awake\n')
  })

  it('stops (twice is fine) and starts again with the files still there', async () => {
    const started = performance.now()
    await provider.stop(workspace)
    timings.stop = millis(started)
    expect(await provider.inspect(workspace)).toMatchObject({ status: 'stopped' })
    await provider.stop(workspace)
    await expectNexusError(
      () => execText(provider, workspace, ['true']),
      'WORKSPACE_NOT_RUNNING',
      'exec in a stopped workspace',
    )
    const restarted = performance.now()
    await provider.start(workspace)
    timings.restart = millis(restarted)
    expect(await sh(provider, workspace, 'cat inside.txt outside.txt')).toBe('made-inside\nmade-outside\n')
  })

  it('reports missing when the container is removed behind its back, and start recreates it', async () => {
    await docker.getContainer(container).remove({ force: true })
    expect(await provider.inspect(workspace)).toMatchObject({ status: 'missing' })
    const result = await provider.start(workspace)
    expect(result?.warnings?.join(' ')).toMatch(/missing.*recreated/)
    expect(await sh(provider, workspace, 'cat outside.txt; printf %s "$GREETING"')).toBe(
      'made-outside\nhello from nexus',
    )
  })

  it('recreates the container on new ports when core moved them while it was stopped', async () => {
    await provider.stop(workspace)
    const moved = workspace.portBlockStart + 5
    workspace = { ...workspace, ports: [{ name: 'ssh', containerPort: 22, hostPort: moved }] }
    await provider.start(workspace)
    expect(await readSshBanner('127.0.0.1', moved)).toMatch(/^SSH-2\.0-/)
  })

  it('lists its containers by label, with the workspace id', async () => {
    const resources = await provider.list()
    expect(resources).toContainEqual(
      expect.objectContaining({
        kind: 'container',
        name: container,
        workspaceId: workspace.id,
        status: 'running',
      }),
    )
  })

  it('destroys everything it made; destroying again is not an error', async () => {
    await provider.destroy(workspace, { removeVolumes: true })
    expect(await leftoversOf(workspace.id)).toEqual({ containers: 0, networks: 0, volumes: 0 })
    expect(await provider.inspect(workspace)).toMatchObject({ status: 'missing' })
    expect(existsSync(join(home.nexusHome, 'providers', 'docker', 'workspaces', workspace.id))).toBe(false)
    await provider.destroy(workspace, { removeVolumes: true })
    expect(existsSync(join(workspace.worktreePath, 'inside.txt'))).toBe(true)
  })
})
