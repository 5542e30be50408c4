import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { hasErrorCode } from '../errors/index.js'
import { allocatePorts, layoutOffsets } from './allocate.js'
import { isPortFree } from './probe.js'
import { collectPortRequests, parsePortFlag } from './requests.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

function listen(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    servers.push(server)
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
}

const range = { start: 41000, end: 41099 }

describe('port allocation', () => {
  it('puts ssh at offset 0, well-known names at theirs and the rest from offset 5', () => {
    const offsets = layoutOffsets([
      { name: 'docs', containerPort: 8000 },
      { name: 'web', containerPort: 3000 },
      { name: 'db', containerPort: 5432 },
    ])
    expect(Object.fromEntries(offsets)).toEqual({ ssh: 0, web: 1, db: 3, docs: 5 })
  })

  it('gives two workspaces disjoint blocks and maps named ports into them', async () => {
    const requests = [{ name: 'web', containerPort: 3000 }]
    const a = await allocatePorts({ workspaceName: 'a', ranges: [range], requests, held: [], heldBlocks: [] })
    const b = await allocatePorts({
      workspaceName: 'a',
      ranges: [range],
      requests,
      held: a.ports,
      heldBlocks: [a.blockStart],
    })
    expect(a.blockStart).not.toBe(b.blockStart)
    expect(a.ports).toContainEqual({ name: 'ssh', containerPort: 22, hostPort: a.blockStart })
    expect(a.ports).toContainEqual({ name: 'web', containerPort: 3000, hostPort: a.blockStart + 1 })
    expect(Math.abs(a.blockStart - b.blockStart)).toBeGreaterThanOrEqual(10)
  })

  it('is stable for a name: the same free block again after release', async () => {
    const first = await allocatePorts({
      workspaceName: 'stable',
      ranges: [range],
      requests: [],
      held: [],
      heldBlocks: [],
    })
    const again = await allocatePorts({
      workspaceName: 'stable',
      ranges: [range],
      requests: [],
      held: [],
      heldBlocks: [],
    })
    expect(again.blockStart).toBe(first.blockStart)
  })

  it('skips a block where a port is already bound on the host', async () => {
    const first = await allocatePorts({
      workspaceName: 'busy',
      ranges: [range],
      requests: [],
      held: [],
      heldBlocks: [],
    })
    await listen(first.blockStart + 7)
    expect(await isPortFree(first.blockStart + 7)).toBe(false)
    const next = await allocatePorts({
      workspaceName: 'busy',
      ranges: [range],
      requests: [],
      held: [],
      heldBlocks: [],
    })
    expect(next.blockStart).not.toBe(first.blockStart)
  })

  it('falls through to the next range, then reports PORTS_EXHAUSTED', async () => {
    const tiny = { start: 41200, end: 41209 }
    const spare = { start: 41300, end: 41309 }
    const taken = await allocatePorts({
      workspaceName: 'x',
      ranges: [tiny, spare],
      requests: [],
      held: [],
      heldBlocks: [41200],
    })
    expect(taken.blockStart).toBe(41300)
    await expect(
      allocatePorts({ workspaceName: 'x', ranges: [tiny], requests: [], held: [], heldBlocks: [41200] }),
    ).rejects.toSatisfy((e: unknown) => hasErrorCode(e, 'PORTS_EXHAUSTED'))
  })

  it('honours a fixed host port, or fails with PORT_CONFLICT when it is taken', async () => {
    const ok = await allocatePorts({
      workspaceName: 'f',
      ranges: [range],
      requests: [parsePortFlag('web=3000:41555')],
      held: [],
      heldBlocks: [],
    })
    expect(ok.ports).toContainEqual({ name: 'web', containerPort: 3000, hostPort: 41555 })
    await listen(41556)
    await expect(
      allocatePorts({
        workspaceName: 'f',
        ranges: [range],
        requests: [parsePortFlag('web=3000:41556')],
        held: [],
        heldBlocks: [],
      }),
    ).rejects.toSatisfy((e: unknown) => hasErrorCode(e, 'PORT_CONFLICT'))
  })
})

describe('port requests', () => {
  it('parses --port flags and refuses privileged host ports', () => {
    expect(parsePortFlag('web=3000')).toEqual({ name: 'web', containerPort: 3000 })
    expect(parsePortFlag('api=8080:9090')).toEqual({ name: 'api', containerPort: 8080, hostPort: 9090 })
    expect(() => parsePortFlag('web=80:80')).toThrow(/below 1024/)
    expect(() => parsePortFlag('web')).toThrow(/not a port mapping/)
    expect(() => parsePortFlag('web=70000')).toThrow(/not a port number/)
  })

  it('collects config ports, service ports and flags; flags win by name; ssh is reserved', () => {
    const requests = collectPortRequests({ web: { container: 3000 } }, { db: { ports: [5432] } }, [
      'web=4000',
    ])
    expect(requests).toEqual([
      { name: 'web', containerPort: 4000 },
      { name: 'db', containerPort: 5432, service: 'db' },
    ])
    expect(() => collectPortRequests({}, {}, ['ssh=22'])).toThrow(/reserved/)
  })
})
