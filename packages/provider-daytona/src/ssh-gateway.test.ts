import { readFile } from 'node:fs/promises'
import { ensureKeyPair, sshExec, type Workspace } from '@nexus/core'
import { captureStream } from '@nexus/core/testing'
import ssh2 from 'ssh2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openWorld, type DaytonaTestWorld } from './__tests__/harness.js'

let world: DaytonaTestWorld
let workspace: Workspace

beforeAll(async () => {
  world = await openWorld()
  await ensureKeyPair(world.nexusHome)
  const made = await world.workspace('gateway')
  const provider = world.provider()
  const created = await provider.create({ workspace: made.workspace, spec: made.spec })
  workspace = { ...made.workspace, status: 'running', backendRef: created.backendRef }
  await provider.start(workspace)
})

afterAll(async () => {
  world.fake.state.sshAuth = 'lenient'
  await world?.close()
})

/** What OpenSSH does against Daytona's gateway: the `none` method, with the token as the user. */
function execWithNoneAuth(
  endpoint: { host: string; port: number; user: string },
  command: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client()
    client.on('error', reject)
    client.on('ready', () => {
      client.exec(command, (error, channel) => {
        if (error) return reject(error)
        let out = ''
        channel.on('data', (chunk: Buffer) => (out += chunk.toString()))
        channel.on('close', () => {
          client.end()
          resolve(out)
        })
      })
    })
    client.connect({ ...endpoint, username: endpoint.user, authHandler: ['none'], hostVerifier: () => true })
  })
}

describe("Daytona's SSH gateway admits the token with the `none` method only", () => {
  it('lets an OpenSSH-like client in with the token as the user', async () => {
    world.fake.state.sshAuth = 'none-only'
    const endpoint = await world.provider().sshEndpoint(workspace)
    expect(await execWithNoneAuth(endpoint, 'cat workspace/nexus-conformance.txt')).toBe(
      'nexus conformance marker\n',
    )
  })

  // The real gateway has no public-key callback: core's client must fall back to `none` after `publickey`.
  it("core's SSH client reaches a gateway that admits `none` only", async () => {
    world.fake.state.sshAuth = 'none-only'
    const endpoint = await world.provider().sshEndpoint(workspace)
    const out = captureStream()
    const result = await sshExec(endpoint, {
      command: ['true'],
      stdout: out.stream,
      stderr: captureStream().stream,
    })
    expect(result.exitCode).toBe(0)
  })

  it('a --tty exec goes over SSH; a refused session is SSH_CONNECTION_FAILED and drops the cached token', async () => {
    world.fake.state.sshAuth = 'lenient'
    const provider = world.provider()
    const out = captureStream()
    const ran = await provider.exec(workspace, {
      command: ['sh', '-c', 'cat nexus-conformance.txt'],
      stdout: out.stream,
      stderr: captureStream().stream,
      tty: true,
    })
    expect(ran.exitCode).toBe(0)
    expect(out.text()).toContain('nexus conformance marker')

    world.fake.state.sshAuth = 'refuse'
    const sink = captureStream().stream
    await expect(
      provider.exec(workspace, { command: ['true'], stdout: sink, stderr: sink, tty: true }),
    ).rejects.toMatchObject({ code: 'SSH_CONNECTION_FAILED', suggestion: expect.stringContaining('exec') })
    const cache = await readFile(`${world.nexusHome}/providers/daytona/ssh-tokens.json`, 'utf8')
    expect(JSON.parse(cache)).not.toHaveProperty(String(workspace.backendRef?.sandboxId))
  })
})
