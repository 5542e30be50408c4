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

// Below the kernel's ephemeral range (32768–60999 by default), so no outgoing connection of another test can hold
// or leave a TIME_WAIT on these ports while the allocator probes them.
const range = { start: 21000, end: 21099 }

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
    const tiny = { start: 21200, end: 21209 }
    const spare = { start: 21300, end: 21309 }
    const taken = await allocatePorts({
      workspaceName: 'x',
      ranges: [tiny, spare],
      requests: [],
      held: [],
      heldBlocks: [21200],
    })
    expect(taken.blockStart).toBe(21300)
    await expect(
      allocatePorts({ workspaceName: 'x', ranges: [tiny], requests: [], held: [], heldBlocks: [21200] }),
    ).rejects.toSatisfy((e: unknown) => hasErrorCode(e, 'PORTS_EXHAUSTED'))
  })

  it('passes over a block with a port in TIME_WAIT while there is another, and takes one when there is none', async () => {
    const lingering = new Set([21204])
    const probes = {
      isFree: async (port: number) => !lingering.has(port),
      isBindable: async () => true,
    }
    const two = [{ start: 21200, end: 21219 }]
    for (const name of ['p', 'q', 'r']) {
      const picked = await allocatePorts({
        workspaceName: name,
        ranges: two,
        requests: [],
        held: [],
        heldBlocks: [],
        ...probes,
      })
      expect(picked.blockStart).toBe(21210)
    }
    const one = [{ start: 21200, end: 21209 }]
    const fallback = await allocatePorts({
      workspaceName: 'p',
      ranges: one,
      requests: [],
      held: [],
      heldBlocks: [],
      ...probes,
    })
    expect(fallback.blockStart).toBe(21200)
    // Held in state is held: the fallback never hands out another workspace's block.
    await expect(
      allocatePorts({
        workspaceName: 'p',
        ranges: one,
        requests: [],
        held: [],
        heldBlocks: [21200],
        ...probes,
      }),
    ).rejects.toSatisfy((e: unknown) => hasErrorCode(e, 'PORTS_EXHAUSTED'))
  })

  it('honours a fixed host port, or fails with PORT_CONFLICT when it is taken', async () => {
    const ok = await allocatePorts({
      workspaceName: 'f',
      ranges: [range],
      requests: [parsePortFlag('web=3000:21555')],
      held: [],
      heldBlocks: [],
    })
    expect(ok.ports).toContainEqual({ name: 'web', containerPort: 3000, hostPort: 21555 })
    await listen(21556)
    await expect(
      allocatePorts({
        workspaceName: 'f',
        ranges: [range],
        requests: [parsePortFlag('web=3000:21556')],
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
