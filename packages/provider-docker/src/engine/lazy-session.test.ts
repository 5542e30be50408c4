import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docker, RUN_ID, RUN_LABEL, TEST_BASE_IMAGE } from '../__tests__/helpers.js'

const run = promisify(execFile)
const packageRoot = fileURLToPath(new URL('../..', import.meta.url))
const containerName = `nexus-test-lazy-session-${RUN_ID}`
const [labelKey = '', labelValue = ''] = RUN_LABEL.split('=')

describe('DockerodeEngine on one container', () => {
  beforeAll(async () => {
    const container = await docker.createContainer({
      name: containerName,
      Image: TEST_BASE_IMAGE,
      Cmd: ['sleep', 'infinity'],
      Labels: { [labelKey]: labelValue },
    })
    await container.start()
  })

  afterAll(async () => {
    await docker
      .getContainer(containerName)
      .remove({ force: true })
      .catch(() => undefined)
  })

  it('inspects, execs and lists containers without loading the BuildKit session code (gRPC); listing networks loads it', async () => {
    // A fresh process, since this one has dockerode loaded whole. grpc-js is CommonJS, so once loaded it shows up
    // in the CommonJS module cache even when reached from ESM.
    const engineUrl = new URL('./dockerode-engine.ts', import.meta.url).href
    const hostUrl = new URL('./host.ts', import.meta.url).href
    const probe = `
      const { createRequire } = await import('node:module')
      const { PassThrough } = await import('node:stream')
      const grpcLoaded = () =>
        Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('/@grpc/grpc-js/'))
      const { DockerodeEngine } = await import(${JSON.stringify(engineUrl)})
      const { DefaultSocketStrategy, resolveEndpoint } = await import(${JSON.stringify(hostUrl)})
      const engine = DockerodeEngine.fromEndpoint(resolveEndpoint([new DefaultSocketStrategy()]))
      const details = await engine.inspectContainer(${JSON.stringify(containerName)})
      const exitCode = await engine.exec(${JSON.stringify(containerName)}, {
        command: ['true'], stdout: new PassThrough(), stderr: new PassThrough(),
      })
      const listed = await engine.listContainers([${JSON.stringify(RUN_LABEL)}])
      const afterHotCalls = grpcLoaded()
      await engine.listNetworkSubnets()
      console.log(JSON.stringify({
        running: details?.State.Running, exitCode, afterHotCalls,
        listedProbe: listed.some((c) => c.Names.includes('/' + ${JSON.stringify(containerName)})),
        afterListing: grpcLoaded(),
      }))
    `
    const dir = await mkdtemp(join(tmpdir(), 'nexus-lazy-session-probe-'))
    try {
      await writeFile(join(dir, 'probe.mts'), probe)
      const { stdout } = await run(
        join(packageRoot, 'node_modules', '.bin', 'tsx'),
        [join(dir, 'probe.mts')],
        {
          cwd: packageRoot,
        },
      )
      expect(JSON.parse(stdout)).toEqual({
        running: true,
        exitCode: 0,
        afterHotCalls: false,
        listedProbe: true,
        afterListing: true,
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
