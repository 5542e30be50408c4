import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isNexusError, type NexusErrorLike } from '@nexus/core'
import { failureOf } from '@nexus/core/testing'
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
} from './__tests__/helpers.js'
import { buildTestImage, removeTestImages } from './__tests__/images.js'
import { mountFailure } from './workspace/mount-errors.js'
import { namesFor } from './workspace/naming.js'

const run = promisify(execFile)

async function nexusFailure(action: () => unknown): Promise<NexusErrorLike> {
  const error = await failureOf(action)
  if (!isNexusError(error)) throw new Error(`expected a NexusError, got: ${String(error)}`)
  return error
}

const drafts: DraftedWorkspace[] = []
async function draft(label: string, memoryGiB?: number): Promise<DraftedWorkspace> {
  const drafted = await draftWorkspace(label)
  if (memoryGiB !== undefined)
    drafted.workspace.resources = { ...drafted.workspace.resources, memory: memoryGiB }
  drafts.push(drafted)
  return drafted
}

async function containerState(container: string) {
  const details = await docker.getContainer(container).inspect()
  return {
    status: details.State.Status,
    restarts: details.RestartCount,
    policy: details.HostConfig.RestartPolicy?.Name,
  }
}

let home: TestHome
let crashingImage: string
let hungryImage: string

beforeAll(async () => {
  home = await makeTestHome()
  // The workspace entrypoint ends in `exec /usr/sbin/sshd`: replacing sshd is replacing what the container runs.
  // Both lines on stderr: lines of stdout and of stderr reach the log in whichever order the engine reads its pipes.
  ;[crashingImage, hungryImage] = await Promise.all([
    buildTestImage('crashing', [
      String.raw`RUN printf '#!/bin/sh\necho "app: reading /etc/app.conf" >&2\necho "fatal: /etc/app.conf is missing" >&2\nexit 3\n' > /usr/sbin/sshd`,
    ]),
    buildTestImage('hungry', [
      String.raw`RUN printf '#!/bin/sh\necho "loading the model"\nexec python3 -c "x = bytearray(1024 ** 3)"\n' > /usr/sbin/sshd`,
    ]),
  ])
})

afterAll(async () => {
  await removeRunResources()
  await removeTestImages(crashingImage, hungryImage)
  for (const drafted of drafts) await drafted.cleanup()
  await home?.cleanup()
})

describe('edge cases: Container', () => {
  it('exits immediately → logs shown, no restart loop', async () => {
    const provider = home.provider({ config: { image: crashingImage, start_timeout_seconds: 30 } })
    const drafted = await draft('crashing')
    await provider.create({ workspace: drafted.workspace, spec: drafted.spec })
    const started = performance.now()
    const error = await nexusFailure(() => provider.start(drafted.workspace))
    // Well under the 30 s start timeout: the exit is noticed, not waited out.
    expect(performance.now() - started).toBeLessThan(15_000)
    expect(error.code).toBe('WORKSPACE_START_FAILED')
    expect(error.message).toBe(
      `sshd in workspace "${drafted.workspace.name}" did not answer on port ${drafted.workspace.ports[0]?.hostPort}: the container exited with code 3. Its last output: app: reading /etc/app.conf | fatal: /etc/app.conf is missing`,
    )
    expect(error.suggestion).toContain(`docker logs ${namesFor(drafted.workspace).container}`)
    expect(error.details?.lastOutput).toEqual([
      'app: reading /etc/app.conf',
      'fatal: /etc/app.conf is missing',
    ])
    // Left exited for the user to look at, and not restarted behind their back.
    await sleep(1_500)
    expect(await containerState(namesFor(drafted.workspace).container)).toEqual({
      status: 'exited',
      restarts: 0,
      policy: 'no',
    })
    expect(await provider.inspect(drafted.workspace)).toMatchObject({ status: 'stopped' })
    expect(existsSync(drafted.workspace.worktreePath)).toBe(true)
  })

  it('OOM-killed → "out of memory", bigger class suggested', async () => {
    // A process the kernel kills inside a running workspace: the command's stderr and info say why.
    const provider = home.provider()
    const drafted = await draft('oom-exec', 0.125)
    const workspace = await createRunning(provider, drafted)
    const result = await execText(provider, workspace, ['python3', '-c', 'x = bytearray(512 * 1024 ** 2)'])
    expect(result.exitCode).toBe(137)
    expect(result.stderr).toContain('nexus: The command ran out of memory (limit 128 MiB) and was killed.')
    expect(result.stderr).toMatch(/--resources small` \(2 GiB\), or `--memory 1`/)
    expect(await provider.inspect(workspace)).toMatchObject({
      status: 'running',
      detail: expect.stringMatching(
        /killed a process in it for running out of memory \(limit 128 MiB\) once/,
      ),
    })
    expect(await sh(provider, workspace, 'echo still-up')).toBe('still-up\n')

    // The workspace's own process over the limit: start fails saying so, and the container stays down.
    const hungry = home.provider({ config: { image: hungryImage, start_timeout_seconds: 30 } })
    const starving = await draft('oom-start', 0.0625)
    await hungry.create({ workspace: starving.workspace, spec: starving.spec })
    const error = await nexusFailure(() => hungry.start(starving.workspace))
    expect(error.code).toBe('WORKSPACE_START_FAILED')
    expect(error.message).toBe(
      `The container of workspace "${starving.workspace.name}" ran out of memory (limit 64 MiB) and was killed.`,
    )
    expect(error.suggestion).toMatch(/bigger class, `--resources small` \(2 GiB\), or `--memory 1`/)
    expect(error.details).toMatchObject({ reason: 'out-of-memory', lastOutput: ['loading the model'] })
    const container = namesFor(starving.workspace).container
    expect((await docker.getContainer(container).inspect()).State).toMatchObject({
      OOMKilled: true,
      ExitCode: 137,
    })
    expect(await containerState(container)).toMatchObject({ status: 'exited', restarts: 0 })
    expect(await hungry.inspect(starving.workspace)).toMatchObject({
      status: 'error',
      detail: expect.stringMatching(/ran out of memory \(limit 64 MiB\).*--resources small/),
    })
  })

  it('bind mount denied → fix instructions', async () => {
    // A worktree deleted behind nexus's back: the engine cannot mount what is not there.
    const provider = home.provider()
    const drafted = await draft('mount')
    const workspace = await createRunning(provider, drafted)
    await provider.stop(workspace, { graceSeconds: 0 })
    await rm(workspace.worktreePath, { recursive: true, force: true })
    const error = await nexusFailure(() => provider.start({ ...workspace, status: 'stopped' }))
    expect(error.code).toBe('WORKSPACE_START_FAILED')
    expect(error.message).toBe(
      `Workspace "${workspace.name}" cannot be mounted: the worktree, ${workspace.worktreePath}, no longer exists.`,
    )
    expect(error.suggestion).toContain(`nexus workspace repair ${workspace.name}`)
    // Its commits are safe on the branch, and nothing was started.
    const { stdout } = await run('git', ['-C', drafted.repoRoot, 'rev-parse', '--verify', workspace.branch])
    expect(stdout.trim()).toMatch(/^[0-9a-f]{40}$/)
    expect(await containerState(namesFor(workspace).container)).toMatchObject({ status: 'exited' })

    // A path that exists here but not where the engine runs (Docker Desktop's file sharing) is a denial to fix there.
    const denied = mountFailure(
      {
        statusCode: 500,
        json: {
          message: `Mounts denied: \nThe path ${drafted.repoRoot} is not shared from the host and is not known to Docker.`,
        },
      },
      workspace,
      'unix:///Users/me/.docker/run/docker.sock',
    )
    expect(denied?.code).toBe('PERMISSION_DENIED')
    expect(denied?.message).toContain('may not mount')
    expect(denied?.suggestion).toMatch(/File sharing.*nexus workspace start/)
  })

  it('network left behind → recreated', async () => {
    const provider = home.provider()
    // Removed behind nexus's back while the workspace was stopped: start makes it again.
    const drafted = await draft('net-gone')
    const workspace = await createRunning(provider, drafted)
    const names = namesFor(workspace)
    await provider.stop(workspace, { graceSeconds: 0 })
    await docker.getNetwork(names.network).remove()
    const result = await provider.start({ ...workspace, status: 'stopped' })
    expect(result.warnings?.join(' ')).toMatch(
      /network of .* was missing; it and the containers were recreated/,
    )
    const network = await docker.getNetwork(names.network).inspect()
    expect(network.Labels?.['dev.nexus.workspace-id']).toBe(workspace.id)
    expect(await sh(provider, workspace, 'echo back')).toBe('back\n')

    // Left by an earlier workspace of the same name in this repository (its record lost): create takes them over.
    const again = await draft('net-stale')
    const stale = namesFor(again.workspace)
    const oldLabels = {
      'dev.nexus.managed-by': 'nexus',
      'dev.nexus.workspace-id': 'ws-old',
      'dev.nexus.workspace': again.workspace.name,
      'dev.nexus.repo': again.workspace.repoRoot,
      'dev.nexus.label.test-run': RUN_ID,
    }
    await docker.createNetwork({ Name: stale.network, Labels: oldLabels })
    await docker.createContainer({
      name: stale.container,
      Image: TEST_BASE_IMAGE,
      Cmd: ['true'],
      Labels: oldLabels,
    })
    const recreated = await createRunning(provider, again)
    expect((await docker.getNetwork(stale.network).inspect()).Labels?.['dev.nexus.workspace-id']).toBe(
      recreated.id,
    )
    expect(
      (await docker.getContainer(stale.container).inspect()).Config.Labels['dev.nexus.workspace-id'],
    ).toBe(recreated.id)
    expect(await sh(provider, recreated, 'echo adopted')).toBe('adopted\n')

    // A network nexus did not make is never taken over.
    const foreign = await draft('net-foreign')
    const foreignName = namesFor(foreign.workspace).network
    await docker.createNetwork({ Name: foreignName, Labels: { 'dev.nexus.label.test-run': RUN_ID } })
    const refused = await nexusFailure(() =>
      provider.create({ workspace: foreign.workspace, spec: foreign.spec }),
    )
    expect(refused.code).toBe('WORKSPACE_ALREADY_EXISTS')
    expect(refused.suggestion).toContain(`docker network rm ${foreignName}`)
    expect((await docker.getNetwork(foreignName).inspect()).Labels).toEqual({
      'dev.nexus.label.test-run': RUN_ID,
    })
  })
})
