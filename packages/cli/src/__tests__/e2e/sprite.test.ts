import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  STACK_TRACE,
  createSandbox,
  parseErrorDocument,
  type RunOptions,
  type RunResult,
  type Sandbox,
} from './harness.js'
import { startFakeSprites, type FakeSprites } from './sprite-fake.js'

const CANARY = 'spr_e2e_canary_0b5e8d1f2a4c6e3d'
const WRONG_CANARY = 'spr_e2e_wrong_9c7a5e3b1d2f4a6c'
const CREATE = /^POST \/v1\/sprites$/

let fake: FakeSprites
let sandbox: Sandbox
/** Everything nexus printed in this file, searched for the token at the end. */
const printed: string[] = []

async function nexus(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const env = { SPRITE_TOKEN: CANARY, SPRITES_API_URL: fake.url, ...options.env }
  const result = await sandbox.nexus(args, { ...options, env })
  printed.push(result.stdout, result.stderr)
  return result
}

function ok(result: RunResult, what: string): string {
  expect(result.code, `${what}: ${result.stdout}${result.stderr}`).toBe(0)
  return result.stdout
}

async function json<T>(args: string[], options: RunOptions = {}): Promise<T> {
  return JSON.parse(ok(await nexus([...args, '--json'], options), args.join(' '))) as T
}

function spriteOf(name: string): string {
  return (
    [...fake.state.sprites.keys()].find((sprite) => sprite.endsWith(`-${name}`)) ?? `(no sprite for ${name})`
  )
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name))
}

beforeAll(async () => {
  fake = await startFakeSprites({ token: CANARY })
  sandbox = await createSandbox()
}, 60_000)

afterAll(async () => {
  await sandbox?.cleanup()
  await fake?.close()
})

describe('nexus on the sprite backend (real SDK, local fake Sprites API)', () => {
  it('creates a workspace: a labelled sprite holding the worktree, running', async () => {
    const workspace = await json<Workspace>(['workspace', 'create', 's', '--backend', 'sprite'])
    expect(workspace).toMatchObject({ name: 's', backend: 'sprite', status: 'running' })
    const sprite = fake.state.sprites.get(spriteOf('s'))
    expect(sprite?.labels).toEqual([
      'nexus',
      expect.stringMatching(/^nexus-home-[0-9a-f]{16}$/),
      `nexus-ws-${workspace.id}`,
    ])
    expect(workspace.backendRef).toEqual({ sprite: sprite?.name, workdir: '/home/sprite/workspace' })
    expect(ok(await nexus(['workspace', 'exec', 's', '--', 'cat', 'README.md']), 'cat')).toBe('# e2e\n')
  })

  it('exec prints `a  b` and exits 3, with argv, stdin and streams kept apart', async () => {
    const result = await nexus(['workspace', 'exec', 's', '--', 'sh', '-c', 'echo "a  b"; exit 3'])
    expect(result).toMatchObject({ code: 3, stdout: 'a  b\n', stderr: '' })
    const argv = ['two words', "it's", 'say "hi"', '$HOME', '*', 'a;b']
    expect(ok(await nexus(['workspace', 'exec', 's', '--', 'printf', '%s\\n', ...argv]), 'printf')).toBe(
      `${argv.join('\n')}\n`,
    )
    const piped = await nexus(
      ['workspace', 'exec', 's', '--', 'sh', '-c', 'tr a-z A-Z; echo err >&2; exit 4'],
      {
        input: 'quiet\n',
      },
    )
    expect(piped).toMatchObject({ code: 4, stdout: 'QUIET\n', stderr: 'err\n' })
    const captured = await nexus(['workspace', 'exec', 's', '--json', '--', 'sh', '-c', 'echo out; exit 5'])
    expect(captured.code).toBe(5)
    expect(JSON.parse(captured.stdout)).toEqual({ exitCode: 5, stdout: 'out\n', stderr: '' })
  })

  it('checkpoint create, change a file, checkpoint restore brings it back (with a warning)', async () => {
    const created = ok(
      await nexus(['workspace', 'provider', 'sprite', 'checkpoint', 'create', 's', '--comment', 'clean']),
      'checkpoint',
    )
    expect(created.trim()).toBe('Created checkpoint v1 of s (clean).')
    ok(await nexus(['workspace', 'exec', 's', '--', 'sh', '-c', 'echo changed > README.md']), 'change')
    const listed = await json<Array<{ id: string; comment: string }>>([
      'workspace',
      'provider',
      'sprite',
      'checkpoint',
      'list',
      's',
    ])
    expect(listed).toEqual([expect.objectContaining({ id: 'v1', comment: 'clean' })])

    const restored = await nexus([
      'workspace',
      'provider',
      'sprite',
      'checkpoint',
      'restore',
      's',
      '--id',
      'v1',
    ])
    expect(ok(restored, 'restore').trim()).toBe('Restored checkpoint v1 of s (clean).')
    expect(restored.stderr).toMatch(/restarts sprite/)
    expect(ok(await nexus(['workspace', 'exec', 's', '--', 'cat', 'README.md']), 'cat')).toBe('# e2e\n')
  })

  it('a restore whose stream reports an error fails with a coded error, not success', async () => {
    fake.state.failNextRestore = 'restore aborted by the fake'
    const result = await nexus([
      'workspace',
      'provider',
      'sprite',
      'checkpoint',
      'restore',
      's',
      '--id',
      'v1',
      '--json',
    ])
    expect(result.code).toBe(1)
    const { error } = parseErrorDocument(result.stdout)
    expect(error.code).toBe('BACKEND_ERROR')
    expect(error.message).toContain('restore aborted by the fake')
    const text = await nexus(['workspace', 'provider', 'sprite', 'checkpoint', 'restore', 's', '--id', 'v9'])
    expect(text.code).toBe(2)
    expect(text.stderr).not.toMatch(STACK_TRACE)
  })

  it('url shows the sprite URL and --auth changes who may open it', async () => {
    const shown = ok(await nexus(['workspace', 'provider', 'sprite', 'url', 's']), 'url')
    expect(shown.trim()).toBe(`https://${spriteOf('s')}-fake.sprites.app  (auth: sprite)`)
    expect(await json(['workspace', 'provider', 'sprite', 'url', 's', '--auth', 'public'])).toMatchObject({
      auth: 'public',
    })
    expect(fake.state.sprites.get(spriteOf('s'))?.urlAuth).toBe('public')
  })

  it('info says how to get a shell, and `workspace ssh` opens one through the Sprites API', async () => {
    const info = ok(await nexus(['workspace', 'info', 's']), 'info')
    expect(info).toContain('nexus workspace ssh s')
    const plain = await nexus(['workspace', 'ssh', 's'], {
      input: 'echo "in $(pwd | sed s,.*/,,)"\nexit 6\n',
    })
    expect(plain).toMatchObject({ code: 6, stdout: 'in workspace\n' })
    const sizes = fake.state.terminalSizes.length
    const tty = await nexus(['workspace', 'ssh', 's', '--tty'], { input: 'echo $((6 * 7))\nexit\n' })
    expect(ok(tty, 'ssh --tty')).toContain('42')
    expect(fake.state.terminalSizes.slice(sizes)).toEqual([{ cols: 80, rows: 24 }])
  })

  it('stop marks the sprite stopped (it goes cold by itself) and start wakes it', async () => {
    ok(await nexus(['workspace', 'stop', 's']), 'stop')
    expect(fake.state.sprites.get(spriteOf('s'))?.labels).toContain('nexus-stopped')
    expect(await json<Workspace>(['workspace', 'info', 's'])).toMatchObject({ status: 'stopped' })
    ok(await nexus(['workspace', 'start', 's']), 'start')
    expect(await json<Workspace & { live: { status: string } }>(['workspace', 'info', 's'])).toMatchObject({
      status: 'running',
      live: { status: 'running' },
    })
  })

  it('destroy deletes the sprite', async () => {
    const name = spriteOf('s')
    ok(await nexus(['workspace', 'destroy', 's', '--force']), 'destroy')
    expect(fake.state.sprites.has(name)).toBe(false)
  })
})

describe('sprite failures as the user sees them', () => {
  it('a rejected token: SPRITE_AUTH_FAILED, exit 77, the fix named, no stack trace, no token', async () => {
    const result = await nexus(['workspace', 'create', 'denied', '--backend', 'sprite', '--json'], {
      env: { SPRITE_TOKEN: WRONG_CANARY },
    })
    expect(result.code).toBe(77)
    const { error } = parseErrorDocument(result.stdout)
    expect(error.code).toBe('SPRITE_AUTH_FAILED')
    expect(error.suggestion).toContain('SPRITE_TOKEN')
    const debug = await nexus(['workspace', 'create', 'denied2', '--backend', 'sprite', '--debug'], {
      env: { SPRITE_TOKEN: WRONG_CANARY },
    })
    expect(debug.code).toBe(77)
    expect(`${result.stdout}${result.stderr}${debug.stdout}${debug.stderr}`).not.toContain(WRONG_CANARY)
    expect(result.stderr).not.toMatch(STACK_TRACE)
  })

  it('a sprite deleted behind nexus (404): exec says it is gone and what to do', async () => {
    ok(await nexus(['workspace', 'create', 'gone', '--backend', 'sprite']), 'create')
    const response = await fetch(`${fake.url}/v1/sprites/${spriteOf('gone')}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${CANARY}` },
    })
    expect(response.status).toBe(204)
    const result = await nexus(['workspace', 'exec', 'gone', '--json', '--', 'true'])
    expect(result.code).toBe(1)
    const { error } = parseErrorDocument(result.stdout)
    expect(error).toMatchObject({
      code: 'BACKEND_ERROR',
      message: expect.stringContaining('no longer exists'),
    })
    expect(error.suggestion).toContain('nexus workspace destroy gone')
    ok(await nexus(['workspace', 'destroy', 'gone', '--force']), 'destroy')
  })

  it('429 on create: waits out Retry-After and succeeds, or reports SPRITE_RATE_LIMITED', async () => {
    fake.state.failNext(429, 1, { match: CREATE, headers: { 'retry-after': '1' } })
    ok(await nexus(['workspace', 'create', 'patient', '--backend', 'sprite']), 'create after one 429')
    fake.state.failNext(429, 3, { match: CREATE, headers: { 'retry-after': '1' } })
    const result = await nexus(['workspace', 'create', 'limited', '--backend', 'sprite', '--json'])
    expect(result.code).toBe(1)
    expect(parseErrorDocument(result.stdout).error).toMatchObject({
      code: 'SPRITE_RATE_LIMITED',
      suggestion: expect.stringContaining('1 seconds'),
    })
    ok(await nexus(['workspace', 'destroy', 'patient', '--force']), 'destroy')
  })

  it('the token never reaches state, the event log or any output', async () => {
    const files = [
      ...(await filesUnder(sandbox.nexusHome)),
      ...(await filesUnder(join(sandbox.repo, '.nexus'))),
    ]
    expect(files.some((file) => file.endsWith('events.jsonl'))).toBe(true)
    for (const file of files) {
      expect(await readFile(file, 'utf8').catch(() => ''), file).not.toContain(CANARY)
    }
    expect(printed.length).toBeGreaterThan(20)
    expect(printed.join('\n')).not.toContain(CANARY)
  })
})
