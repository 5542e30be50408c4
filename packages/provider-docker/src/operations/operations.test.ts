import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { promisify } from 'node:util'
import tar from 'tar-stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runOperation, type Workspace } from '@nexus/core'
import { expectNexusError } from '@nexus/core/testing'
import {
  RUN_ID,
  TEST_BASE_IMAGE,
  createRunning,
  docker,
  draftWorkspace,
  execText,
  makeTestHome,
  removeRunResources,
  sh,
  type DraftedWorkspace,
  type TestHome,
} from '../__tests__/helpers.js'
import type { DockerProvider } from '../docker-provider.js'
import { DockerodeEngine } from '../engine/dockerode-engine.js'
import { DefaultSocketStrategy, resolveEndpoint } from '../engine/host.js'
import { namesFor } from '../workspace/naming.js'

const run = promisify(execFile)

describe('docker provider: escape hatches', () => {
  let home: TestHome
  let provider: DockerProvider
  let drafted: DraftedWorkspace
  let workspace: Workspace
  const sharedNetwork = `nexus-test-shared-${RUN_ID}`
  const cacheImage = `nexus-test-cache:${RUN_ID}`

  beforeAll(async () => {
    home = await makeTestHome()
    provider = home.provider({ globalConfig: { lifecycle: { stop_grace_seconds: 1 } } })
    drafted = await draftWorkspace('ops')
    workspace = await createRunning(provider, drafted)
    await writeFile(join(workspace.worktreePath, 'work.txt'), 'unsaved work\n')
  })

  afterAll(async () => {
    await removeRunResources()
    await docker
      .getNetwork(sharedNetwork)
      .remove()
      .catch(() => undefined)
    await docker
      .getImage(cacheImage)
      .remove({ force: true })
      .catch(() => undefined)
    await drafted?.cleanup()
    await home?.cleanup()
  })

  it('creates a volume once, and attaches it to a running workspace without losing /workspace', async () => {
    expect(
      await runOperation(provider, 'docker.volume.create', { volume: 'cache' }, workspace),
    ).toMatchObject({ created: true })
    expect(
      await runOperation(provider, 'docker.volume.create', { volume: 'cache' }, workspace),
    ).toMatchObject({ created: false })
    const attached = await runOperation(
      provider,
      'docker.volume.attach',
      { volume: 'cache', mount: '/cache' },
      workspace,
    )
    expect(attached).toMatchObject({
      attached: true,
      recreated: true,
      running: true,
      dockerVolume: namesFor(workspace).volume('cache'),
    })
    expect(await sh(provider, workspace, 'cat work.txt')).toBe('unsaved work\n')
    await sh(provider, workspace, 'echo kept > /cache/data')
  })

  it('keeps an attached volume when the container is recreated from the record', async () => {
    await docker.getContainer(namesFor(workspace).container).remove({ force: true })
    await provider.start(workspace)
    expect(await sh(provider, workspace, 'cat /cache/data')).toBe('kept\n')
  })

  it('refuses mount points that would hide the worktree, and unknown parameters', async () => {
    await expectNexusError(
      () =>
        runOperation(provider, 'docker.volume.attach', { volume: 'x', mount: '/workspace/sub' }, workspace),
      'INVALID_ARGUMENT',
      'a mount inside /workspace',
    )
    await expectNexusError(
      () => runOperation(provider, 'docker.volume.attach', { volume: 'x', mount: 'relative' }, workspace),
      'INVALID_ARGUMENT',
      'a relative mount',
    )
    await expectNexusError(
      () => runOperation(provider, 'docker.volume.create', { volume: 'x', bogus: 1 }, workspace),
      'INVALID_ARGUMENT',
      'an unknown parameter',
    )
    await expectNexusError(
      () => runOperation(provider, 'docker.volume.create', { volume: 'x', size: 5 }, workspace),
      'INVALID_ARGUMENT',
      'a size on the local driver',
    )
  })

  it('refuses to delete an attached volume; detaches it, then deletes it', async () => {
    await expectNexusError(
      () => runOperation(provider, 'docker.volume.delete', { volume: 'cache' }, workspace),
      'INVALID_ARGUMENT',
      'deleting an attached volume',
    )
    expect(
      await runOperation(provider, 'docker.volume.detach', { volume: 'cache' }, workspace),
    ).toMatchObject({ detached: true, running: true })
    expect((await execText(provider, workspace, ['test', '-e', '/cache/data'])).exitCode).not.toBe(0)
    expect(await sh(provider, workspace, 'cat work.txt')).toBe('unsaved work\n')
    expect(
      await runOperation(provider, 'docker.volume.delete', { volume: 'cache' }, workspace),
    ).toMatchObject({ deleted: true })
    await expect(docker.getVolume(namesFor(workspace).volume('cache')).inspect()).rejects.toMatchObject({
      statusCode: 404,
    })
  })

  it("commits the workspace container's filesystem to an image", async () => {
    await sh(provider, workspace, 'echo baked > "$HOME/marker"')
    const home = await sh(provider, workspace, 'printf %s "$HOME"')
    const result = await runOperation(provider, 'docker.image.cache', { to: cacheImage }, workspace)
    expect(result).toMatchObject({ image: cacheImage, from: namesFor(workspace).container })
    const { stdout } = await run('docker', [
      'run',
      '--rm',
      '--entrypoint',
      'cat',
      cacheImage,
      `${home}/marker`,
    ])
    expect(stdout).toBe('baked\n')
    const image = await docker.getImage(cacheImage).inspect()
    expect(image.Config.Labels).toMatchObject({
      'dev.nexus.image': 'cache',
      'dev.nexus.workspace-id': workspace.id,
    })
  })

  it('connects the workspace to a shared network and disconnects it, but never from its own', async () => {
    expect(await runOperation(provider, 'docker.network.create', { network: sharedNetwork })).toMatchObject({
      created: true,
    })
    expect(await runOperation(provider, 'docker.network.create', { network: sharedNetwork })).toMatchObject({
      created: false,
    })
    const networksOf = async () =>
      Object.keys(
        (await docker.getContainer(namesFor(workspace).container).inspect()).NetworkSettings.Networks,
      )
    await runOperation(provider, 'docker.network.connect', { network: sharedNetwork }, workspace)
    expect(await networksOf()).toEqual(expect.arrayContaining([sharedNetwork, namesFor(workspace).network]))
    await runOperation(provider, 'docker.network.disconnect', { network: sharedNetwork }, workspace)
    expect(await networksOf()).toEqual([namesFor(workspace).network])
    await expectNexusError(
      () =>
        runOperation(
          provider,
          'docker.network.disconnect',
          { network: namesFor(workspace).network },
          workspace,
        ),
      'INVALID_ARGUMENT',
      "disconnecting the workspace's own network",
    )
    await expectNexusError(
      () => runOperation(provider, 'docker.network.connect', { network: `absent-${RUN_ID}` }, workspace),
      'INVALID_ARGUMENT',
      'a missing network',
    )
  })

  it('builds the workspace image on demand', async () => {
    const result = await runOperation(provider, 'docker.image.build', { base: TEST_BASE_IMAGE })
    expect(result).toMatchObject({ base: TEST_BASE_IMAGE, image: expect.stringMatching(/^nexus-workspace:/) })
  })

  it('prunes dangling images that nexus built, and only those', async () => {
    const engine = DockerodeEngine.fromEndpoint(resolveEndpoint([new DefaultSocketStrategy()]))
    const build = async (tag: string, marker: string, labels: Record<string, string>) => {
      const pack = tar.pack()
      pack.entry({ name: 'Dockerfile' }, `FROM ${TEST_BASE_IMAGE}\nLABEL marker=${marker}\n`)
      pack.finalize()
      return engine.buildImage({ context: Readable.from(pack), tag, labels })
    }
    // Building a tag twice leaves the first image dangling.
    const ours = `nexus-test-prune:${RUN_ID}`
    const foreign = `someone-elses:${RUN_ID}`
    const ourDangling = await build(ours, `a-${RUN_ID}`, { 'dev.nexus.managed-by': 'nexus' })
    await build(ours, `b-${RUN_ID}`, { 'dev.nexus.managed-by': 'nexus' })
    const foreignDangling = await build(foreign, `c-${RUN_ID}`, {})
    await build(foreign, `d-${RUN_ID}`, {})
    try {
      const result = (await runOperation(provider, 'docker.image.prune', {})) as { removed: string[] }
      expect(result.removed.join(' ')).toContain(ourDangling.replace(/^sha256:/, ''))
      expect((await docker.getImage(foreignDangling).inspect()).Id).toBe(foreignDangling)
    } finally {
      await Promise.all(
        [ours, foreign, foreignDangling].map((image) =>
          docker
            .getImage(image)
            .remove({ force: true })
            .catch(() => undefined),
        ),
      )
    }
  })
})
