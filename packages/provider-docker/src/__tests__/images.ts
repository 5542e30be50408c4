import { Readable } from 'node:stream'
import tar from 'tar-stream'
import { DockerodeEngine } from '../engine/dockerode-engine.js'
import { DefaultSocketStrategy, resolveEndpoint } from '../engine/host.js'
import { hostIdentity, workspaceImageTag } from '../image/builder.js'
import { RUN_ID, TEST_BASE_IMAGE, docker } from './helpers.js'

/** An engine on the default socket, for a test's own fixtures. */
export function testEngine(): DockerodeEngine {
  return DockerodeEngine.fromEndpoint(resolveEndpoint([new DefaultSocketStrategy()]))
}

/**
 * Builds a project image on the test base from Dockerfile lines after FROM, tagged for this run. Returns the tag;
 * {@link removeTestImages} removes it with the workspace image nexus layers onto it.
 */
export async function buildTestImage(name: string, lines: string[]): Promise<string> {
  const tag = `nexus-test-${name}:${RUN_ID}`
  const pack = tar.pack()
  pack.entry({ name: 'Dockerfile' }, [`FROM ${TEST_BASE_IMAGE}`, ...lines, ''].join('\n'))
  pack.finalize()
  await testEngine().buildImage({ context: Readable.from(pack), tag })
  return tag
}

/** A base of its own (the test base under another tag), so removing its workspace image touches no other test. */
export async function tagPrivateBase(name: string): Promise<string> {
  const repo = `nexus-test-${name}`
  await docker.getImage(TEST_BASE_IMAGE).tag({ repo, tag: RUN_ID })
  return `${repo}:${RUN_ID}`
}

/** Removes the given images and the workspace images nexus built on them; absent ones are fine. */
export async function removeTestImages(...images: string[]): Promise<void> {
  for (const image of images) {
    for (const tag of [workspaceImageTag(image, hostIdentity()), image]) {
      await docker
        .getImage(tag)
        .remove({ force: true })
        .catch(() => undefined)
    }
  }
}
