import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Reporter } from '@nexus/core'
import { expectNexusError, failureOf } from '@nexus/core/testing'
import { RUN_ID, TEST_BASE_IMAGE, docker } from '../__tests__/helpers.js'
import { DEFAULT_BASE_IMAGE } from '../config.js'
import { DockerodeEngine } from '../engine/dockerode-engine.js'
import { DefaultSocketStrategy, resolveEndpoint } from '../engine/host.js'
import { PACKAGE_VERSION } from '../version.js'
import { ImageBuilder, hostIdentity, workspaceImageTag } from './builder.js'
import { RECIPE_DIGEST } from './recipe.js'

const run = promisify(execFile)

/** Records the steps a build reports, as the CLI's spinner would show them. */
function recordingReporter(): Reporter & { steps: string[] } {
  const steps: string[] = []
  return {
    steps,
    step: (title) => {
      steps.push(title)
      return () => undefined
    },
    info: () => undefined,
    warn: () => undefined,
    debug: () => undefined,
  }
}

/** Runs a one-off command in an image, bypassing its sshd entrypoint. */
async function runIn(image: string, script: string): Promise<string> {
  const { stdout } = await run('docker', ['run', '--rm', '--entrypoint', 'sh', image, '-c', script])
  return stdout
}

describe('workspace image', () => {
  const engine = DockerodeEngine.fromEndpoint(resolveEndpoint([new DefaultSocketStrategy()]))
  const madeImages: string[] = []
  let projectDir: string

  beforeAll(async () => {
    projectDir = await mkdtemp(join(tmpdir(), 'nexus-docker-project-'))
  })

  afterAll(async () => {
    for (const image of madeImages.reverse())
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined)
    await rm(projectDir, { recursive: true, force: true })
  })

  it('is tagged by version and uid, naming the base unless it is the default', () => {
    expect(workspaceImageTag(DEFAULT_BASE_IMAGE, { uid: 1000, gid: 1000 })).toBe(
      `nexus-workspace:${PACKAGE_VERSION}-u1000`,
    )
    expect(workspaceImageTag(TEST_BASE_IMAGE, { uid: 0, gid: 0 })).toMatch(
      new RegExp(`^nexus-workspace:${PACKAGE_VERSION}-u0-nexus-base-bookworm-[0-9a-f]{6}$`),
    )
  })

  it('reuses an image built from the same recipe and base instead of building again', async () => {
    const reporter = recordingReporter()
    const image = await new ImageBuilder(engine, reporter, hostIdentity()).ensure(
      { kind: 'base', reference: TEST_BASE_IMAGE },
      { dir: projectDir, name: 'tests' },
    )
    expect(image.built).toBe(false)
    expect(reporter.steps).toEqual([])
    const details = await docker.getImage(image.tag).inspect()
    expect(details.Id).toBe(image.id)
    expect(details.Config.Labels).toMatchObject({
      'dev.nexus.managed-by': 'nexus',
      'dev.nexus.recipe': RECIPE_DIGEST,
      'dev.nexus.base': TEST_BASE_IMAGE,
      'dev.nexus.base-id': (await docker.getImage(TEST_BASE_IMAGE).inspect()).Id,
    })
  })

  it("bakes a non-root host user's uid and gid into a `nexus` user with sudo and key-only sshd", async () => {
    const identity = { uid: 4242, gid: 4343 }
    const reporter = recordingReporter()
    const image = await new ImageBuilder(engine, reporter, identity).ensure(
      { kind: 'base', reference: TEST_BASE_IMAGE },
      { dir: projectDir, name: 'tests' },
    )
    madeImages.push(image.tag)
    expect(image).toMatchObject({ built: true, user: 'nexus' })
    expect(reporter.steps).toEqual([`Building workspace image ${image.tag} from ${TEST_BASE_IMAGE}`])
    const facts = await runIn(
      image.tag,
      'id nexus; sudo -n -u nexus sudo -n true && echo sudo-ok; sshd -T | grep -Ei "^(passwordauthentication|kbdinteractiveauthentication|permitrootlogin|authorizedkeysfile|allowagentforwarding) "; ls /etc/ssh/ssh_host_ed25519_key',
    )
    expect(facts).toContain('uid=4242(nexus) gid=4343(nexus)')
    expect(facts).toContain('sudo-ok')
    expect(facts).toMatch(/passwordauthentication no/)
    expect(facts).toMatch(/kbdinteractiveauthentication no/)
    expect(facts).toMatch(/permitrootlogin no/)
    expect(facts).toMatch(/authorizedkeysfile \/etc\/nexus\/authorized_keys/)
    expect(facts).toMatch(/allowagentforwarding yes/)
    expect(facts).toContain('/etc/ssh/ssh_host_ed25519_key')
  })

  it("layers the recipe onto a project's own Dockerfile", async () => {
    await mkdir(join(projectDir, '.devbox'), { recursive: true })
    await writeFile(
      join(projectDir, '.devbox', 'Dockerfile'),
      `FROM ${TEST_BASE_IMAGE}\nRUN echo project-${RUN_ID} > /etc/project-marker\n`,
    )
    const builder = new ImageBuilder(engine, recordingReporter(), hostIdentity())
    const image = await builder.ensure(
      { kind: 'dockerfile', reference: '.devbox/Dockerfile' },
      { dir: projectDir, name: `proj${RUN_ID}` },
    )
    madeImages.push(image.base, image.tag)
    expect(image.base).toMatch(new RegExp(`^nexus-project:proj${RUN_ID}-[0-9a-f]{12}$`))
    expect(await runIn(image.tag, 'cat /etc/project-marker; command -v sshd')).toBe(
      `project-${RUN_ID}\n/usr/sbin/sshd\n`,
    )
  })

  it('says how to provide a base image that is missing and cannot be pulled', async () => {
    const builder = new ImageBuilder(engine, recordingReporter(), hostIdentity())
    const missing = `nexus-absent-base-${RUN_ID}:none`
    const ensureMissing = () =>
      builder.ensure({ kind: 'base', reference: missing }, { dir: projectDir, name: 'tests' })
    await expectNexusError(ensureMissing, 'BACKEND_ERROR', 'a base that cannot be pulled')
    const error = (await failureOf(ensureMissing)) as { message: string; suggestion: string }
    expect(error.message).toBe(`The base image ${missing} is missing and could not be pulled.`)
    expect(error.suggestion).toMatch(/docker import.*backends\.docker\.base_image/)
  })

  it('reports a missing project Dockerfile as a config problem', async () => {
    const builder = new ImageBuilder(engine, recordingReporter(), hostIdentity())
    await expectNexusError(
      () =>
        builder.ensure(
          { kind: 'dockerfile', reference: 'nope/Dockerfile' },
          { dir: projectDir, name: 'tests' },
        ),
      'CONFIG_INVALID',
      'a missing Dockerfile',
    )
  })
})
