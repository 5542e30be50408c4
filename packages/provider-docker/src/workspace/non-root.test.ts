import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Workspace } from '@nexus/core'
import { createTestProviderContext } from '@nexus/core/testing'
import {
  TEST_BASE_IMAGE,
  createRunning,
  docker,
  draftWorkspace,
  execText,
  makeTestHome,
  removeRunResources,
  sh,
  sshCli,
  type DraftedWorkspace,
  type TestHome,
} from '../__tests__/helpers.js'
import { createDockerProvider } from '../provider.js'
import type { DockerProvider } from '../docker-provider.js'
import { workspaceImageTag } from '../image/builder.js'

/** A uid no account on this machine has, standing in for a non-root developer. */
const identity = { uid: 4343, gid: 4343 }

describe('docker provider for a non-root host user', () => {
  let home: TestHome
  let provider: DockerProvider
  let drafted: DraftedWorkspace
  let workspace: Workspace

  beforeAll(async () => {
    home = await makeTestHome()
    const context = createTestProviderContext({
      nexusHome: home.nexusHome,
      config: { base_image: TEST_BASE_IMAGE },
    })
    provider = createDockerProvider(context, { identity })
    drafted = await draftWorkspace('nonroot')
    workspace = await createRunning(provider, drafted)
  })

  afterAll(async () => {
    await removeRunResources()
    await docker
      .getImage(workspaceImageTag(TEST_BASE_IMAGE, identity))
      .remove({ force: true })
      .catch(() => undefined)
    await drafted?.cleanup()
    await home?.cleanup()
  })

  it('runs commands as `nexus` with the host uid', async () => {
    expect(await sh(provider, workspace, 'id -un; id -u; id -g; echo "$HOME"')).toBe(
      'nexus\n4343\n4343\n/home/nexus\n',
    )
  })

  it('lets `nexus` in over SSH with the key, and keeps root out', async () => {
    const endpoint = await provider.sshEndpoint(workspace)
    expect(endpoint.user).toBe('nexus')
    const ssh = (user: string) => sshCli(drafted.identityPath, endpoint.port, user, 'id -u')
    expect(await ssh('nexus')).toBe('4343\n')
    await expect(ssh('root')).rejects.toMatchObject({ code: 255 })
  })

  it('keeps privileges from being regained: sudo is refused under no-new-privileges', async () => {
    const result = await execText(provider, workspace, ['sudo', '-n', 'true'])
    expect(result.exitCode).not.toBe(0)
    expect(result.stderr).toContain('no new privileges')
  })
})
