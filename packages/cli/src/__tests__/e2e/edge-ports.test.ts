import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { connect, createServer, type Server } from 'node:net'
import { join } from 'node:path'
import type { Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, parseErrorDocument, type Sandbox } from './harness.js'

// Each test sets its own tiny range inside 22500–22599, apart from the ranges the other e2e files use.
let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await createSandbox()
})

afterAll(async () => {
  await sandbox?.cleanup()
})

async function setRange(start: number, end: number): Promise<void> {
  const result = await sandbox.nexus(['config', 'set', 'ports_range', `{start: ${start}, end: ${end}}`])
  expect(result.code, result.stderr).toBe(0)
}

async function names(): Promise<string[]> {
  return (await sandbox.json<Workspace[]>(['ws', 'ls'])).map((w) => w.name).sort()
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server))
  })
}

/** Local ports with a socket in TIME_WAIT, as the kernel lists them. */
async function timeWaitPorts(): Promise<number[]> {
  const ports: number[] = []
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '')
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/)
      if (state === '06' && local) ports.push(Number.parseInt(local.split(':').at(-1) ?? '', 16))
    }
  }
  return ports
}

/**
 * Leaves `port` in TIME_WAIT: a real connection whose server side closes first (the active closer keeps the
 * TIME_WAIT), then the listener goes away, so nothing is bound to the port any more.
 */
async function leaveInTimeWait(port: number): Promise<void> {
  const server = await listen(port)
  const serverSide = new Promise<void>((resolve) =>
    server.once('connection', (socket) => {
      socket.end()
      socket.once('close', () => resolve())
    }),
  )
  const client = connect({ port, host: '127.0.0.1' })
  client.on('data', () => undefined)
  client.once('end', () => client.end())
  await serverSide
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

describe('edge cases: Ports', () => {
  it('all blocks used → PORTS_EXHAUSTED with cleanup hint', async () => {
    await setRange(22500, 22519)
    await sandbox.json<Workspace>(['ws', 'create', 'fill-1', '--backend', 'mock'])
    await sandbox.json<Workspace>(['ws', 'create', 'fill-2', '--backend', 'mock'])

    const result = await sandbox.nexus(['ws', 'create', 'fill-3', '--backend', 'mock', '--json'])
    expect(result.code).toBe(1)
    const { error } = parseErrorDocument(result.stdout)
    expect(error.code).toBe('PORTS_EXHAUSTED')
    expect(error.message).toContain('Every port block')
    expect(error.suggestion).toContain('nexus workspace destroy <name>')
    expect(error.suggestion).toContain('nexus workspace cleanup')
    // Nothing of the refused create is left: no record, worktree or branch.
    expect(await names()).toEqual(['fill-1', 'fill-2'])
    expect(existsSync(join(sandbox.repo, '.nexus', 'worktrees', 'fill-3'))).toBe(false)
    expect(await sandbox.git(['branch', '--list', 'nexus/fill-3'])).toBe('')

    // Following the hint works: a destroyed workspace's block is free again.
    expect((await sandbox.nexus(['ws', 'destroy', 'fill-1'])).code).toBe(0)
    const third = await sandbox.json<Workspace>(['ws', 'create', 'fill-3', '--backend', 'mock'])
    expect([22500, 22510]).toContain(third.portBlockStart)
    for (const name of ['fill-2', 'fill-3'])
      expect((await sandbox.nexus(['ws', 'destroy', name])).code).toBe(0)
  })

  it('a port in TIME_WAIT → skipped', async () => {
    const lingering = 22535
    await leaveInTimeWait(lingering)
    expect(await timeWaitPorts()).toContain(lingering)
    // Nothing is bound there: a bind with SO_REUSEADDR (Node's default) succeeds, so only TIME_WAIT is in the way.
    ;(await listen(lingering)).close()

    // With another block to move on to, the workspace gets that one.
    await setRange(22530, 22549)
    const created = await sandbox.json<Workspace>(['ws', 'create', 'tw', '--backend', 'mock'])
    expect(created.portBlockStart).toBe(22540)
    expect(created.ports.map((p) => p.hostPort)).not.toContain(lingering)
    expect(await timeWaitPorts()).toContain(lingering)

    // When the lingering port's block is the only one left, it binds, so it is handed out rather than refusing.
    await setRange(22530, 22539)
    const last = await sandbox.json<Workspace>(['ws', 'create', 'tw-last', '--backend', 'mock'])
    expect(last.portBlockStart).toBe(22530)
  })

  it('< 1024 refused (--port web=80:80 → coded error, with the fix)', async () => {
    await setRange(22550, 22599)
    const result = await sandbox.nexus([
      'ws',
      'create',
      'low',
      '--backend',
      'mock',
      '--port',
      'web=80:80',
      '--json',
    ])
    expect(result.code).toBe(1)
    const { error } = parseErrorDocument(result.stdout)
    expect(error.code).toBe('PORT_CONFLICT')
    expect(error.message).toContain('Host port 80 in "web=80:80" is below 1024')
    expect(error.suggestion).toContain('`web=80`')
    expect(error.suggestion).toContain('≥ 1024')
    expect(await names()).not.toContain('low')
    expect(existsSync(join(sandbox.repo, '.nexus', 'worktrees', 'low'))).toBe(false)

    // The fix the error gives works: nexus picks the host port.
    const fixed = await sandbox.json<Workspace>([
      'ws',
      'create',
      'low',
      '--backend',
      'mock',
      '--port',
      'web=80',
    ])
    const web = fixed.ports.find((p) => p.name === 'web')
    expect(web?.containerPort).toBe(80)
    expect(web?.hostPort).toBeGreaterThanOrEqual(22550)
  })
})
