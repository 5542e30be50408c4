import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Workspace } from '@nexus/core'
import {
  TEST_BASE_IMAGE,
  createRunning,
  docker,
  draftWorkspace,
  leftoversOf,
  makeTestHome,
  removeRunResources,
  sh,
  type DraftedWorkspace,
  type TestHome,
} from '../__tests__/helpers.js'
import type { DockerProvider } from '../docker-provider.js'
import { namesFor } from '../workspace/naming.js'

const fetchCreated =
  "import urllib.request; print(urllib.request.urlopen('http://cache:8000/created').read().decode().strip())"

/** A tiny HTTP server over a named volume, and a client that only starts if the server is already up (depends_on). */
const services = {
  cache: {
    image: TEST_BASE_IMAGE,
    command: [
      'sh',
      '-c',
      'test -f /data/created || date +%s%N > /data/created; exec python3 -m http.server 8000 --directory /data',
    ],
    volumes: ['data:/data'],
    env: { ROLE: 'cache' },
    // As nexus config writes it (core's schema): a bare command list and interval_seconds.
    healthcheck: {
      test: ['python3', '-c', "import socket; socket.create_connection(('127.0.0.1', 8000))"],
      interval_seconds: 0.3,
      retries: 30,
    },
  },
  client: {
    image: TEST_BASE_IMAGE,
    command: ['sh', '-c', `python3 -c "${fetchCreated.replace(/"/g, '\\"')}" && exec sleep infinity`],
    depends_on: ['cache'],
  },
}

describe('docker provider: compose-style services', () => {
  let home: TestHome
  let provider: DockerProvider
  let drafted: DraftedWorkspace
  let workspace: Workspace
  let names: ReturnType<typeof namesFor>

  beforeAll(async () => {
    home = await makeTestHome()
    provider = home.provider({ globalConfig: { services, lifecycle: { stop_grace_seconds: 1 } } })
    drafted = await draftWorkspace('svc', [
      { name: 'cache', containerPort: 8000, service: 'cache', offset: 1 },
    ])
    names = namesFor(drafted.workspace)
    workspace = await createRunning(provider, drafted)
  })

  afterAll(async () => {
    await removeRunResources()
    await drafted?.cleanup()
    await home?.cleanup()
  })

  it('reaches a service by its name from the workspace container', async () => {
    const created = await sh(provider, workspace, `python3 -c "${fetchCreated.replace(/"/g, '\\"')}"`)
    expect(created.trim()).toMatch(/^\d+$/)
  })

  it('publishes the service port on 127.0.0.1 and labels the container', async () => {
    const response = await fetch(`http://127.0.0.1:${workspace.portBlockStart + 1}/created`)
    expect(response.status).toBe(200)
    const details = await docker.getContainer(names.service('cache')).inspect()
    expect(details.Config.Labels).toMatchObject({
      'dev.nexus.service': 'cache',
      'dev.nexus.workspace-id': workspace.id,
    })
    expect(details.Config.Env).toContain('ROLE=cache')
    expect(details.HostConfig.PortBindings).toEqual({
      '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: String(workspace.portBlockStart + 1) }],
    })
  })

  it('starts a dependent only once what it depends on is healthy', async () => {
    const client = await docker.getContainer(names.service('client')).inspect()
    expect(client.State.Running).toBe(true)
    const cache = await docker.getContainer(names.service('cache')).inspect()
    expect(cache.State.Health?.Status).toBe('healthy')
  })

  it("keeps a named volume's data across stop and start", async () => {
    const before = await sh(provider, workspace, `python3 -c "${fetchCreated.replace(/"/g, '\\"')}"`)
    await provider.stop(workspace)
    expect((await docker.getContainer(names.service('cache')).inspect()).State.Running).toBe(false)
    await provider.start(workspace)
    const after = await sh(provider, workspace, `python3 -c "${fetchCreated.replace(/"/g, '\\"')}"`)
    expect(after).toBe(before)
    const volume = await docker.getVolume(names.volume('data')).inspect()
    expect(volume.Labels).toMatchObject({
      'dev.nexus.workspace-id': workspace.id,
      'dev.nexus.volume': 'data',
    })
  })

  it('lists service containers apart from the workspace container', async () => {
    const mine = (await provider.list()).filter((resource) => resource.workspaceId === workspace.id)
    expect(mine.map((resource) => `${resource.kind}:${resource.name}`).sort()).toEqual(
      [
        `container:${names.container}`,
        `service-container:${names.service('cache')}`,
        `service-container:${names.service('client')}`,
      ].sort(),
    )
  })

  it('keeps volumes on destroy unless asked to remove them', async () => {
    await provider.destroy(workspace)
    expect(await leftoversOf(workspace.id)).toEqual({ containers: 0, networks: 0, volumes: 1 })
    await provider.destroy(workspace, { removeVolumes: true })
    expect(await leftoversOf(workspace.id)).toEqual({ containers: 0, networks: 0, volumes: 0 })
  })
})
