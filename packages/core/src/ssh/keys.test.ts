import { spawn } from 'node:child_process'
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { runProgram } from '../util/exec-file.js'
import { agentPublicKeys, ensureKeyPair } from './keys.js'
import { sshPaths } from './paths.js'

const homes: string[] = []
async function freshHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'nexus-keys-'))
  homes.push(home)
  return home
}
afterEach(async () => {
  await Promise.all(homes.splice(0).map((home) => rm(home, { recursive: true, force: true })))
})

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777

describe('ensureKeyPair', () => {
  it('creates an ed25519 pair in OpenSSH format with private modes', async () => {
    const home = await freshHome()
    const pair = await ensureKeyPair(home)

    expect(pair.privateKeyPath).toBe(sshPaths(home).privateKey)
    expect(pair.publicKeyPath).toBe(sshPaths(home).publicKey)
    expect(await modeOf(sshPaths(home).keysDir)).toBe(0o700)
    expect(await modeOf(pair.privateKeyPath)).toBe(0o600)
    expect(await modeOf(pair.publicKeyPath)).toBe(0o644)
    expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAA[A-Za-z0-9+/=]+ nexus$/)
    expect(await readFile(pair.publicKeyPath, 'utf8')).toBe(`${pair.publicKey}\n`)

    // OpenSSH itself must accept the private key and derive the same public key from it.
    const derived = await runProgram('ssh-keygen', ['-y', '-f', pair.privateKeyPath])
    expect(derived.exitCode).toBe(0)
    expect(derived.stdout.trim().split(' ').slice(0, 2)).toEqual(pair.publicKey.split(' ').slice(0, 2))
  })

  it('returns the same key on later calls without rewriting it', async () => {
    const home = await freshHome()
    const first = await ensureKeyPair(home)
    const before = await stat(first.privateKeyPath)
    const second = await ensureKeyPair(home)
    expect(second).toEqual(first)
    expect((await stat(first.privateKeyPath)).mtimeMs).toBe(before.mtimeMs)
  })

  it('repairs a private key whose mode lets others read it', async () => {
    const home = await freshHome()
    const pair = await ensureKeyPair(home)
    await chmod(pair.privateKeyPath, 0o644)
    await ensureKeyPair(home)
    expect(await modeOf(pair.privateKeyPath)).toBe(0o600)
  })

  it('rewrites a missing or wrong public key from the private key', async () => {
    const home = await freshHome()
    const pair = await ensureKeyPair(home)
    await rm(pair.publicKeyPath)
    expect((await ensureKeyPair(home)).publicKey).toBe(pair.publicKey)
    expect(await readFile(pair.publicKeyPath, 'utf8')).toBe(`${pair.publicKey}\n`)

    await writeFile(pair.publicKeyPath, 'ssh-ed25519 AAAAsomethingelse other\n')
    await ensureKeyPair(home)
    expect(await readFile(pair.publicKeyPath, 'utf8')).toBe(`${pair.publicKey}\n`)
  })

  it('refuses a private key file it cannot parse, saying how to recover', async () => {
    const home = await freshHome()
    const paths = sshPaths(home)
    await ensureKeyPair(home)
    await writeFile(paths.privateKey, 'not a key\n', { mode: 0o600 })
    await expect(ensureKeyPair(home)).rejects.toMatchObject({
      name: 'NexusError',
      code: 'SSH_ERROR',
      suggestion: expect.stringContaining(`Delete ${paths.privateKey}`),
    })
  })

  it('gives every concurrent first caller in one process the same key, leaving no temp files', async () => {
    const home = await freshHome()
    const pairs = await Promise.all(Array.from({ length: 8 }, () => ensureKeyPair(home)))
    expect(new Set(pairs.map((pair) => pair.publicKey)).size).toBe(1)
    expect((await readdir(sshPaths(home).keysDir)).sort()).toEqual(['id_ed25519', 'id_ed25519.pub'])
  })

  it('gives every concurrent first caller across processes the same key', async () => {
    const home = await freshHome()
    const keysModule = fileURLToPath(new URL('./keys.ts', import.meta.url))
    const startAt = Date.now() + 1_500
    const outputs = await Promise.all(
      Array.from({ length: 6 }, () => runKeyProcess(keysModule, home, startAt)),
    )
    const publicKeys = new Set(outputs.map((output) => output.trim()))
    expect(publicKeys.size).toBe(1)
    const [publicKey] = [...publicKeys]
    expect(await readFile(sshPaths(home).publicKey, 'utf8')).toBe(`${publicKey}\n`)
    expect((await readdir(sshPaths(home).keysDir)).sort()).toEqual(['id_ed25519', 'id_ed25519.pub'])
  })
})

/**
 * A separate Node process that loads keys.ts straight from source (Node strips the types; a tiny resolve hook maps
 * the `.js` import specifiers to the `.ts` files) and calls ensureKeyPair once the shared start time arrives.
 */
function runKeyProcess(keysModule: string, home: string, startAt: number): Promise<string> {
  const resolveHook = `export async function resolve(specifier, context, next) {
    try { return await next(specifier, context) } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) return next(specifier.slice(0, -3) + '.ts', context)
      throw error
    }
  }`
  const script = `
    import { register } from 'node:module'
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(resolveHook)}))
    const { ensureKeyPair } = await import(${JSON.stringify(keysModule)})
    while (Date.now() < ${startAt}) {}
    const pair = await ensureKeyPair(${JSON.stringify(home)})
    process.stdout.write(pair.publicKey)
  `
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`key process exited ${code}: ${stderr}`)),
    )
  })
}

describe('agentPublicKeys', () => {
  it('finds no keys when there is no agent', async () => {
    expect(await agentPublicKeys({})).toEqual([])
  })

  it('finds no keys when the agent socket is stale', async () => {
    const home = await freshHome()
    expect(await agentPublicKeys({ SSH_AUTH_SOCK: join(home, 'no-agent.sock') })).toEqual([])
  })
})
