import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isNexusError, runOperation, type NexusErrorLike, type Workspace } from '@nexus/core'
import { failureOf } from '@nexus/core/testing'
import {
  RUN_ID,
  createRunning,
  docker,
  draftWorkspace,
  execText,
  leftoversOf,
  makeTestHome,
  removeRunResources,
  sh,
  type DraftedWorkspace,
  type TestHome,
} from './__tests__/helpers.js'
import { removeTestImages, tagPrivateBase } from './__tests__/images.js'
import { hostIdentity, workspaceImageTag } from './image/builder.js'
import { namesFor } from './workspace/naming.js'
import { readSshBanner } from './workspace/ssh-ready.js'

/** The failure of a call, which must be a NexusError. */
async function nexusFailure(action: () => unknown): Promise<NexusErrorLike> {
  const error = await failureOf(action)
  if (!isNexusError(error)) throw new Error(`expected a NexusError, got: ${String(error)}`)
  return error
}

const drafts: DraftedWorkspace[] = []
async function draft(label: string, ports: Parameters<typeof draftWorkspace>[1] = []) {
  const drafted = await draftWorkspace(label, ports)
  drafts.push(drafted)
  return drafted
}

let home: TestHome
const privateBases: string[] = []

beforeAll(async () => {
  home = await makeTestHome()
})

afterAll(async () => {
  await removeRunResources()
  await removeTestImages(...privateBases)
  for (const drafted of drafts) await drafted.cleanup()
  await home?.cleanup()
})

describe('edge cases: Lifecycle', () => {
  it('create while the engine is down → BACKEND_UNAVAILABLE', async () => {
    const socket = `/tmp/nexus-nope-${RUN_ID}.sock`
    const provider = home.provider({ env: { ...process.env, DOCKER_HOST: `unix://${socket}` } })
    const drafted = await draft('down')
    const started = performance.now()
    const error = await nexusFailure(() =>
      provider.create({ workspace: drafted.workspace, spec: drafted.spec }),
    )
    // Nothing to wait for on a socket that is not there: no retry loop before the answer.
    expect(performance.now() - started).toBeLessThan(3_000)
    expect(error.code).toBe('BACKEND_UNAVAILABLE')
    expect(error.message).toBe(`The Docker engine at unix://${socket} does not answer.`)
    expect(error.suggestion).toMatch(/Start Docker.*nexus doctor/)
    expect(error.retryable).toBe(true)
    // Nothing written: no provider record, nothing in the (real, running) engine, the worktree untouched.
    const record = join(home.nexusHome, 'providers', 'docker', 'workspaces', drafted.workspace.id)
    expect(existsSync(record)).toBe(false)
    expect(await leftoversOf(drafted.workspace.id)).toEqual({ containers: 0, networks: 0, volumes: 0 })
    expect(existsSync(join(drafted.workspace.worktreePath, '.git'))).toBe(true)
    expect(await provider.health()).toMatchObject({ ok: false, details: { code: 'BACKEND_UNAVAILABLE' } })
  })

  it('start with the image gone → rebuild', async () => {
    const base = await tagPrivateBase('image-gone')
    privateBases.push(base)
    const provider = home.provider({ config: { base_image: base } })
    const drafted = await draft('image-gone')
    let workspace = await createRunning(provider, drafted)
    await sh(provider, workspace, 'echo kept > /tmp/rootfs-marker')
    await provider.stop(workspace, { graceSeconds: 1 })
    workspace = { ...workspace, status: 'stopped' }
    const image = workspaceImageTag(base, hostIdentity())
    await docker.getImage(image).remove({ force: true })
    await expect(docker.getImage(image).inspect()).rejects.toMatchObject({ statusCode: 404 })

    const result = await provider.start(workspace)
    expect(result.warnings?.join(' ')).toContain(`The workspace image ${image} was gone; it was rebuilt`)
    expect((await docker.getImage(image).inspect()).Config.Labels?.['dev.nexus.base']).toBe(base)
    expect(await readSshBanner('127.0.0.1', workspace.ports[0]?.hostPort as number)).toMatch(/^SSH-2\.0-/)
    // The container was started, not replaced: what was written to its root filesystem is still there.
    expect(await sh(provider, workspace, 'cat /tmp/rootfs-marker')).toBe('kept\n')
    // A later recreate (here: attaching a volume) is made from the rebuilt image, not the removed one.
    await runOperation(provider, 'docker.volume.create', { volume: 'cache' }, workspace)
    expect(
      await runOperation(provider, 'docker.volume.attach', { volume: 'cache', mount: '/cache' }, workspace),
    ).toMatchObject({ attached: true, recreated: true })
    const recreated = await docker.getContainer(namesFor(workspace).container).inspect()
    expect(recreated.Config.Image).toBe(image)
    expect(await sh(provider, workspace, 'test -d /cache && echo mounted')).toBe('mounted\n')
  })

  it('stop of a process ignoring SIGTERM → killed after the grace period', async () => {
    const grace = 2
    const provider = home.provider({ globalConfig: { lifecycle: { stop_grace_seconds: grace } } })
    const drafted = await draft('sigterm')
    const workspace = await createRunning(provider, drafted)
    const detached = (line: string) => `(${line}) </dev/null >/dev/null 2>&1 &`
    await sh(provider, workspace, detached(`trap '' TERM; exec sleep 600`))
    await sh(
      provider,
      workspace,
      detached(`trap 'echo bye > /workspace/graceful.txt; exit 0' TERM; while :; do sleep 0.1; done`),
    )
    expect(await sh(provider, workspace, 'ps -eo args | grep -c "^sleep 600"')).toBe('1\n')

    const started = performance.now()
    await provider.stop(workspace)
    const seconds = (performance.now() - started) / 1000
    expect(seconds).toBeGreaterThanOrEqual(grace - 0.3)
    expect(seconds).toBeLessThan(grace + 4)
    const details = await docker.getContainer(namesFor(workspace).container).inspect()
    expect(details.State).toMatchObject({ Running: false, Status: 'exited' })
    expect(await provider.inspect(workspace)).toMatchObject({ status: 'stopped' })
    // The well-behaved process got its SIGTERM and the time to act on it; nothing in the worktree was lost.
    expect(await readFile(join(workspace.worktreePath, 'graceful.txt'), 'utf8')).toBe('bye\n')
    expect(existsSync(join(workspace.worktreePath, '.git'))).toBe(true)
  })
})

describe('edge cases: Ports', () => {
  it('start with its ports now taken → the container publishes the new ports on 127.0.0.1', async () => {
    const provider = home.provider()
    const drafted = await draft('ports', [{ name: 'web', containerPort: 8080, offset: 1 }])
    let workspace: Workspace = await createRunning(provider, drafted)
    await runOperation(provider, 'docker.volume.create', { volume: 'data' }, workspace)
    await runOperation(provider, 'docker.volume.attach', { volume: 'data', mount: '/data' }, workspace)
    await sh(provider, workspace, 'echo in-volume > /data/kept.txt')
    await writeFile(join(workspace.worktreePath, 'kept.txt'), 'in-worktree\n')
    await provider.stop(workspace, { graceSeconds: 1 })

    // What core records after re-probing: both ports moved within the block.
    const block = workspace.portBlockStart
    workspace = {
      ...workspace,
      status: 'stopped',
      ports: [
        { name: 'ssh', containerPort: 22, hostPort: block + 5 },
        { name: 'web', containerPort: 8080, hostPort: block + 6 },
      ],
    }
    await provider.start(workspace)
    const details = await docker.getContainer(namesFor(workspace).container).inspect()
    expect(details.HostConfig.PortBindings).toEqual({
      '22/tcp': [{ HostIp: '127.0.0.1', HostPort: String(block + 5) }],
      '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(block + 6) }],
    })
    expect(details.NetworkSettings.Ports['22/tcp']).toEqual([
      { HostIp: '127.0.0.1', HostPort: String(block + 5) },
    ])
    expect(await readSshBanner('127.0.0.1', block + 5)).toMatch(/^SSH-2\.0-/)
    expect(await readSshBanner('127.0.0.1', block)).toBeUndefined()
    // Recreated on the new bindings, keeping the volume and the worktree.
    expect(await sh(provider, workspace, 'cat /data/kept.txt /workspace/kept.txt')).toBe(
      'in-volume\nin-worktree\n',
    )
    expect((await execText(provider, workspace, ['true'])).exitCode).toBe(0)
  })
})
