import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { LifecycleResult, Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, parseErrorDocument, type Sandbox } from './harness.js'

const execFileAsync = promisify(execFile)

// Ten blocks of ten, apart from the ranges the other e2e files use.
const PORT_RANGE = '{start: 22600, end: 22699}'
const IS_ROOT = process.getuid?.() === 0
const SMALL_FILES = 10_000

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await createSandbox({ portsRange: PORT_RANGE })
})

afterAll(async () => {
  await sandbox?.cleanup()
})

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server))
  })
}

/** Writes zeros until the filesystem refuses: a disk that is really full, not one that says so. */
async function fillUp(dir: string): Promise<void> {
  await execFileAsync('dd', ['if=/dev/zero', `of=${join(dir, 'filler')}`, 'bs=64k']).catch(() => undefined)
}

describe('edge cases: Resources', () => {
  it.skipIf(!IS_ROOT)('disk full mid-write → state not corrupted', async () => {
    // NEXUS_HOME on its own small filesystem. Created roomy (a create wants 1 GiB free), then shrunk and filled.
    const home = join(sandbox.root, 'full-home')
    await mkdir(home)
    await execFileAsync('mount', ['-t', 'tmpfs', '-o', 'size=2g', 'tmpfs', home])
    const env = { NEXUS_HOME: home }
    try {
      await sandbox.nexus(['config', 'set', 'ports_range', PORT_RANGE], { env })
      const created = await sandbox.json<Workspace>(
        ['ws', 'create', 'full', '--backend', 'mock', '--port', 'web=3000'],
        { env },
      )
      expect((await sandbox.nexus(['ws', 'stop', 'full'], { env })).code).toBe(0)
      const stateFile = join(home, 'state', 'workspaces', `${created.id}.json`)
      const before = await readFile(stateFile, 'utf8')

      // Its port is taken meanwhile, so the start must first write the workspace's new ports to state.
      const web = created.ports.find((p) => p.name === 'web')?.hostPort ?? 0
      const squatter = await listen(web)
      try {
        await execFileAsync('mount', ['-o', 'remount,size=8m', home])
        await fillUp(home)
        const result = await sandbox.nexus(['ws', 'start', 'full', '--json'], { env })
        expect(result.code).toBe(1)
        const { error } = parseErrorDocument(result.stdout)
        expect(error.code).toBe('RESOURCE_EXHAUSTED')
        expect(error.message).toContain(`The disk holding ${join(home, 'state')} is full`)
        expect(error.message).toContain('what was saved before is unchanged')
        expect(error.suggestion).toContain('Free some space')

        // The previous document is whole and unchanged, no temp file is left, and nexus still reads its state.
        expect(await readFile(stateFile, 'utf8')).toBe(before)
        expect(JSON.parse(before)).toMatchObject({ id: created.id, status: 'stopped' })
        expect((await readdir(join(home, 'state', 'workspaces'))).filter((f) => f.startsWith('.'))).toEqual(
          [],
        )
        const listed = await sandbox.json<Workspace[]>(['ws', 'ls'], { env })
        expect(listed.map((w) => [w.name, w.status, w.portBlockStart])).toEqual([
          ['full', 'stopped', created.portBlockStart],
        ])

        // Once there is room again, the same command simply works.
        await rm(join(home, 'filler'))
        const started = await sandbox.json<LifecycleResult>(['ws', 'start', 'full'], { env })
        expect(started.workspace.status).toBe('running')
        expect(started.workspace.portBlockStart).not.toBe(created.portBlockStart)
      } finally {
        squatter.close()
      }
      expect((await sandbox.nexus(['ws', 'destroy', 'full'], { env })).code).toBe(0)
    } finally {
      await execFileAsync('umount', [home])
    }
  })

  it('many small files fine (a worktree with ~10k small files creates and destroys fine)', async () => {
    const dir = join(sandbox.repo, 'many')
    await mkdir(dir)
    for (let batch = 0; batch < SMALL_FILES / 100; batch++) {
      const sub = join(dir, `d${batch}`)
      await mkdir(sub)
      await Promise.all(
        Array.from({ length: 100 }, (_, i) => writeFile(join(sub, `f${i}.txt`), `file ${batch}/${i}\n`)),
      )
    }
    // 10k loose objects would start a background `git gc --auto`, racing the sandbox's removal at the end.
    await sandbox.git(['config', 'gc.auto', '0'])
    await sandbox.git(['add', 'many'])
    await sandbox.git(['commit', '--quiet', '-m', '10k small files'])

    const created = await sandbox.nexus(['ws', 'create', 'many', '--backend', 'mock', '--json'])
    expect(created.code, created.stderr).toBe(0)
    const workspace = JSON.parse(created.stdout) as Workspace
    const counted = await sandbox.nexus(['ws', 'exec', 'many', '--', 'sh', '-c', 'find many -type f | wc -l'])
    expect(counted.stdout.trim()).toBe(String(SMALL_FILES))
    expect(await readFile(join(workspace.worktreePath, 'many', 'd99', 'f99.txt'), 'utf8')).toBe(
      'file 99/99\n',
    )
    expect(await sandbox.git(['status', '--porcelain'], workspace.worktreePath)).toBe('')

    const destroyed = await sandbox.nexus(['ws', 'destroy', 'many'])
    expect(destroyed.code, destroyed.stderr).toBe(0)
    expect(existsSync(workspace.worktreePath)).toBe(false)
    expect(await sandbox.json<Workspace[]>(['ws', 'ls'])).toEqual([])
    expect(await sandbox.git(['worktree', 'list', '--porcelain'])).not.toContain('many')
  })
})
