import Dockerode from 'dockerode'
import { describe, expect, it } from 'vitest'
import { isNexusError } from '@nexus/core'
import { engineMessage, engineStatusOf, isNotFound, isTransientEngineError, toNexusError } from './errors.js'

const docker = new Dockerode({ socketPath: '/var/run/docker.sock' })

/** The error the real engine answers with, for classifying real shapes rather than imagined ones. */
async function engineError(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call()
  } catch (error) {
    return error
  }
  throw new Error('the engine call was expected to fail')
}

/** What docker-modem raises for a status the engine sent, for statuses a test cannot provoke on demand. */
function modemError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), {
    statusCode,
    json: { message },
  })
}

describe('engine errors', () => {
  it("reads a real 404's status and the engine's own message", async () => {
    const error = await engineError(() => docker.getContainer('nexus-no-such-container').inspect())
    expect(isNotFound(error)).toBe(true)
    expect(engineMessage(error)).toBe('No such container: nexus-no-such-container')
    expect(isTransientEngineError(error)).toBe(false)
  })

  it('does not retry a real name conflict', async () => {
    const name = `nexus-conflict-${process.pid}`
    const network = await docker.createNetwork({ Name: name, CheckDuplicate: true })
    try {
      const error = await engineError(() => docker.createNetwork({ Name: name, CheckDuplicate: true }))
      expect(engineStatusOf(error)).toBe(409)
      expect(isTransientEngineError(error)).toBe(false)
    } finally {
      await network.remove()
    }
  })

  it("retries dropped connections, the engine's own 5xx trouble and operations in progress, not user errors", () => {
    expect(isTransientEngineError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(
      true,
    )
    expect(isTransientEngineError(modemError(503, 'service unavailable'))).toBe(true)
    expect(isTransientEngineError(modemError(500, 'containerd: context deadline exceeded'))).toBe(true)
    expect(isTransientEngineError(modemError(409, 'removal of container abc is already in progress'))).toBe(
      true,
    )
    expect(
      isTransientEngineError(modemError(500, 'Conflict. The container name "/x" is already in use')),
    ).toBe(false)
    expect(
      isTransientEngineError(
        modemError(
          500,
          'driver failed programming external connectivity: Bind for 127.0.0.1:32800 failed: port is already allocated',
        ),
      ),
    ).toBe(false)
    expect(isTransientEngineError(modemError(400, 'invalid reference format'))).toBe(false)
  })

  it('maps failures to coded NexusErrors with the status kept for callers', () => {
    const unavailable = toNexusError(
      Object.assign(new Error('connect ENOENT /x.sock'), { code: 'ENOENT' }),
      'list containers',
      'unix:///x.sock',
    )
    expect(unavailable).toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
      message: 'The Docker engine at unix:///x.sock does not answer.',
    })
    const denied = toNexusError(
      Object.assign(new Error('connect EACCES'), { code: 'EACCES' }),
      'list containers',
      'unix:///x.sock',
    )
    expect(denied).toMatchObject({ code: 'PERMISSION_DENIED' })
    const portTaken = toNexusError(
      modemError(500, 'Bind for 127.0.0.1:32800 failed: port is already allocated'),
      'start container x',
      'here',
    )
    expect(portTaken).toMatchObject({ code: 'PORT_CONFLICT' })
    const other = toNexusError(modemError(409, 'Container abc is not running'), 'run a command in x', 'here')
    expect(other).toMatchObject({
      code: 'BACKEND_ERROR',
      message: 'Docker could not run a command in x: Container abc is not running.',
    })
    expect(engineStatusOf(other)).toBe(409)
    expect(isNexusError(other)).toBe(true)
  })
})
