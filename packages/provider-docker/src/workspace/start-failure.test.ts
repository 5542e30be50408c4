import { Readable } from 'node:stream'
import tar from 'tar-stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { failureOf } from '@nexus/core/testing'
import {
  RUN_ID,
  TEST_BASE_IMAGE,
  docker,
  draftWorkspace,
  makeTestHome,
  removeRunResources,
  type DraftedWorkspace,
  type TestHome,
} from '../__tests__/helpers.js'
import { DockerodeEngine } from '../engine/dockerode-engine.js'
import { DefaultSocketStrategy, resolveEndpoint } from '../engine/host.js'
import { hostIdentity, workspaceImageTag } from '../image/builder.js'

/** A project image whose sshd exits at once: what a broken custom image looks like to start(). */
const brokenImage = `nexus-test-broken-sshd:${RUN_ID}`

describe('a workspace whose sshd cannot run', () => {
  let home: TestHome
  let drafted: DraftedWorkspace

  beforeAll(async () => {
    const pack = tar.pack()
    pack.entry(
      { name: 'Dockerfile' },
      `FROM ${TEST_BASE_IMAGE}\nRUN printf '#!/bin/sh\\necho broken sshd >&2\\nexit 3\\n' > /usr/sbin/sshd\n`,
    )
    pack.finalize()
    const engine = DockerodeEngine.fromEndpoint(resolveEndpoint([new DefaultSocketStrategy()]))
    await engine.buildImage({ context: Readable.from(pack), tag: brokenImage })
    home = await makeTestHome()
    drafted = await draftWorkspace('broken')
  })

  afterAll(async () => {
    await removeRunResources()
    for (const image of [workspaceImageTag(brokenImage, hostIdentity()), brokenImage]) {
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined)
    }
    await drafted?.cleanup()
    await home?.cleanup()
  })

  it('fails start with WORKSPACE_START_FAILED as soon as the container exits, not after the timeout', async () => {
    const provider = home.provider({ config: { image: brokenImage, start_timeout_seconds: 30 } })
    await provider.create({ workspace: drafted.workspace, spec: drafted.spec })
    const started = performance.now()
    const error = (await failureOf(() => provider.start(drafted.workspace))) as {
      code: string
      message: string
      suggestion: string
    }
    // Well under the 30 s start timeout: the exit is noticed, not waited out.
    expect(performance.now() - started).toBeLessThan(15_000)
    expect(error.code).toBe('WORKSPACE_START_FAILED')
    expect(error.message).toContain('the container exited with code 3')
    expect(error.suggestion).toContain('docker logs')
    expect(await provider.inspect(drafted.workspace)).toMatchObject({
      status: 'stopped',
      detail: expect.stringContaining('exited with code 3'),
    })
  })
})
