import { runOperation, type JsonObject, type Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createRunning,
  docker,
  draftWorkspace,
  millis,
  makeTestHome,
  removeRunResources,
  sh,
  TEST_BASE_IMAGE,
  type DraftedWorkspace,
  type TestHome,
} from '../__tests__/helpers.js'
import type { DockerProvider } from '../docker-provider.js'
import { namesFor } from '../workspace/naming.js'
import { SNAPSHOT_LABELS } from './snapshot-ref.js'

// The db service stands in for a database: its data lives in the named volume pgdata.
const services = {
  db: {
    image: TEST_BASE_IMAGE,
    command: ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.1; done'],
    volumes: ['pgdata:/var/lib/data'],
  },
}
const uid = process.getuid?.() ?? 0
/** /opt is root's: outside /workspace and outside any volume, so only the committed image can bring it back. */
const root = (line: string) => (uid === 0 ? line : `sudo -n sh -c '${line}'`)

async function inDb(workspace: Workspace, line: string): Promise<string> {
  const exec = await docker.getContainer(namesFor(workspace).service('db')).exec({
    Cmd: ['sh', '-c', line],
    AttachStdout: true,
    AttachStderr: true,
  })
  const stream = await exec.start({})
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  await new Promise((resolve) => stream.on('end', resolve))
  // Multiplexed frames: an 8-byte header before each chunk of output.
  const all = Buffer.concat(chunks)
  let text = ''
  for (let at = 0; at + 8 <= all.length; at += 8 + all.readUInt32BE(at + 4))
    text += all.subarray(at + 8, at + 8 + all.readUInt32BE(at + 4)).toString('utf8')
  return text
}

async function state(
  provider: DockerProvider,
  workspace: Workspace,
  db: Workspace = workspace,
): Promise<string> {
  const files = await sh(provider, workspace, 'cat /opt/state/file; ls /opt/state; cat /cache/data')
  return `${files}${await inDb(db, 'cat /var/lib/data/rows')}`
}

describe('docker provider: snapshots of the root filesystem and the volumes', () => {
  let home: TestHome
  let provider: DockerProvider
  let drafted: DraftedWorkspace
  let copyDrafted: DraftedWorkspace
  let workspace: Workspace
  let ref: JsonObject
  const timings: Record<string, number> = {}

  beforeAll(async () => {
    home = await makeTestHome()
    provider = home.provider({ globalConfig: { services, lifecycle: { stop_grace_seconds: 2 } } })
    drafted = await draftWorkspace('snap')
    copyDrafted = await draftWorkspace('snapcopy')
    workspace = await createRunning(provider, drafted)
    await runOperation(provider, 'docker.volume.attach', { volume: 'cache', mount: '/cache' }, workspace)
  })

  afterAll(async () => {
    console.log(`[provider-docker snapshot timings, ms] ${JSON.stringify(timings)}`)
    await removeRunResources()
    await drafted?.cleanup()
    await copyDrafted?.cleanup()
    await home?.cleanup()
  })

  it('captures a running workspace in an image and volume copies, paused only meanwhile', async () => {
    await sh(
      provider,
      workspace,
      root('mkdir -p /opt/state && echo v1 > /opt/state/file && chmod 777 /opt/state'),
    )
    await sh(provider, workspace, 'echo cache-v1 > /cache/data')
    await inDb(workspace, 'echo rows-v1 > /var/lib/data/rows')
    const started = performance.now()
    const created = await provider.snapshots.create(workspace, { name: 'base', description: null })
    timings.snapshotCreate = millis(started)
    ref = created.ref
    expect(created.sizeBytes).toBeGreaterThan(0)
    expect(ref).toMatchObject({ image: expect.stringMatching(/^nexus-snapshot:[0-9a-f]{12}-base$/) })
    const image = await docker.getImage(String(ref.image)).inspect()
    expect(image.Config.Labels).toMatchObject({
      'dev.nexus.managed-by': 'nexus',
      [SNAPSHOT_LABELS.snapshot]: 'base',
    })
    expect((ref.volumes as JsonObject[]).map((v) => [v.volume, v.service, v.mount]).sort()).toEqual([
      ['cache', null, '/cache'],
      ['pgdata', 'db', null],
    ])
    // Unpaused again: the workspace still answers.
    expect((await docker.getContainer(namesFor(workspace).container).inspect()).State.Paused).toBe(false)
    expect(await state(provider, workspace)).toBe('v1\nfile\ncache-v1\nrows-v1\n')
  })

  it('restores a file outside /workspace, an attached volume and a service volume', async () => {
    await sh(
      provider,
      workspace,
      'echo v2 > /opt/state/file && echo extra > /opt/state/extra && echo cache-v2 > /cache/data',
    )
    await inDb(workspace, 'echo rows-v2 > /var/lib/data/rows')
    expect(await state(provider, workspace)).toBe('v2\nextra\nfile\ncache-v2\nrows-v2\n')

    // What core does around a restore: stop, restore, start.
    const started = performance.now()
    await provider.stop(workspace)
    const restored = await provider.snapshots.restore(workspace, ref)
    const result = await provider.start({
      ...workspace,
      status: 'stopped',
      backendRef: restored?.backendRef ?? null,
    })
    timings.stopRestoreStart = millis(started)
    workspace = { ...workspace, backendRef: result.backendRef ?? workspace.backendRef }
    expect(await state(provider, workspace)).toBe('v1\nfile\ncache-v1\nrows-v1\n')
    const details = await docker.getContainer(namesFor(workspace).container).inspect()
    expect(details.Config.Labels?.['dev.nexus.workspace-id']).toBe(workspace.id)
    expect(details.Mounts.map((mount) => mount.Destination)).toEqual(
      expect.arrayContaining(['/workspace', '/cache']),
    )
  })

  it('provisions a new workspace from the snapshot, with volumes of its own', async () => {
    const { backendRef } = await provider.snapshots.createFrom!(
      { workspace: copyDrafted.workspace, spec: copyDrafted.spec },
      ref,
    )
    const copy: Workspace = { ...copyDrafted.workspace, status: 'stopped', backendRef }
    await provider.start(copy)
    expect(await state(provider, copy)).toBe('v1\nfile\ncache-v1\nrows-v1\n')
    await inDb(copy, 'echo rows-copy > /var/lib/data/rows')
    expect(await inDb(workspace, 'cat /var/lib/data/rows')).toBe('rows-v1\n')
    await provider.destroy(copy, { removeVolumes: true })
  })

  it('deletes the image and the volume copies, retiring an image still in use until its container is gone', async () => {
    const archives = (ref.volumes as JsonObject[]).map((volume) => String(volume.archive))
    await provider.snapshots.delete(workspace, ref)
    await expect(docker.getImage(String(ref.image)).inspect()).rejects.toMatchObject({ statusCode: 404 })
    for (const archive of archives)
      await expect(docker.getVolume(archive).inspect()).rejects.toMatchObject({ statusCode: 404 })
    // The restored container runs on the snapshot's image: it outlives the tag, and goes with the workspace.
    expect((await docker.getImage(String(ref.imageId)).inspect()).Id).toBe(ref.imageId)
    await provider.destroy(workspace, { removeVolumes: true })
    await expect(docker.getImage(String(ref.imageId)).inspect()).rejects.toMatchObject({ statusCode: 404 })
  })
})
