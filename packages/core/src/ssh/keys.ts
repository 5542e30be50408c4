import { randomBytes } from 'node:crypto'
import { chmod, link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Duplex } from 'node:stream'
import type { ParsedKey } from 'ssh2'
import { loadSsh2 } from './ssh2-module.js'
import { NexusError, describeError } from '../errors/index.js'
import { isErrno } from './errno.js'
import { sshPaths } from './paths.js'

type Ssh2Utils = Awaited<ReturnType<typeof loadSsh2>>['utils']

const KEY_COMMENT = 'nexus'
const KEYS_DIR_MODE = 0o700
const PRIVATE_KEY_MODE = 0o600
const PUBLIC_KEY_MODE = 0o644
const AGENT_TIMEOUT_MS = 2_000

export interface NexusKeyPair {
  privateKeyPath: string
  publicKeyPath: string
  /** One line, OpenSSH format: `ssh-ed25519 AAAA… nexus`. */
  publicKey: string
}

/**
 * The key nexus authenticates to every workspace with, generated on first use.
 *
 * Several nexus processes may start at once on a fresh machine, so creation is a race with one winner: each
 * candidate key is written and fsynced to a private temp file, then hard-linked into place. `link` fails if the
 * target exists, so exactly one candidate becomes the key and no reader ever sees a half-written file. The public
 * key is always derived from whichever private key won, so every racer returns (and writes) the same public key.
 */
export async function ensureKeyPair(nexusHome: string): Promise<NexusKeyPair> {
  const paths = sshPaths(nexusHome)
  try {
    return await ensureKeyPairAt(paths)
  } catch (error) {
    if (isErrno(error, 'EACCES') || isErrno(error, 'EPERM')) {
      throw new NexusError('PERMISSION_DENIED', `Nexus cannot write its SSH key under ${paths.keysDir}.`, {
        suggestion: `Make ${nexusHome} writable by you, or point NEXUS_HOME at a directory you own.`,
        cause: error,
        details: { path: paths.keysDir, cause: describeError(error) },
      })
    }
    throw error
  }
}

async function ensureKeyPairAt(paths: ReturnType<typeof sshPaths>): Promise<NexusKeyPair> {
  await mkdir(paths.keysDir, { recursive: true })
  await chmod(paths.keysDir, KEYS_DIR_MODE)

  const { utils } = await loadSsh2()
  if (!(await exists(paths.privateKey))) await publishNewPrivateKey(paths.privateKey, utils)
  await ensureMode(paths.privateKey, PRIVATE_KEY_MODE)

  const publicKey = publicKeyOf(utils, await readFile(paths.privateKey, 'utf8'), paths.privateKey)
  const current = await readFile(paths.publicKey, 'utf8').catch(() => '')
  if (current.trim() !== publicKey) {
    await writeKeyFile(paths.publicKey, `${publicKey}\n`, PUBLIC_KEY_MODE, async (temp) =>
      rename(temp, paths.publicKey),
    )
  }
  return { privateKeyPath: paths.privateKey, publicKeyPath: paths.publicKey, publicKey }
}

/**
 * ssh2 1.17's ed25519 generator now and then (about 1 in 256, mscdex/ssh2#1513) emits a key it cannot parse back;
 * such a key would break every later connection, so generate until both halves parse.
 */
function generateUsableKeyPair(utils: Ssh2Utils): { private: string; public: string } {
  for (let attempt = 0; attempt < 16; attempt++) {
    const generated = utils.generateKeyPairSync('ed25519', { comment: KEY_COMMENT })
    const parsedPrivate = utils.parseKey(generated.private)
    const parsedPublic = utils.parseKey(generated.public)
    if (!(parsedPrivate instanceof Error) && !(parsedPublic instanceof Error)) return generated
  }
  throw new Error('ssh2 produced no usable ed25519 key in 16 attempts')
}

async function publishNewPrivateKey(privateKeyPath: string, utils: Ssh2Utils): Promise<void> {
  const generated = generateUsableKeyPair(utils)
  // OpenSSH refuses some key files without a final newline; ssh2 omits it.
  const pem = generated.private.endsWith('\n') ? generated.private : `${generated.private}\n`
  await writeKeyFile(privateKeyPath, pem, PRIVATE_KEY_MODE, async (temp) => {
    try {
      await link(temp, privateKeyPath)
    } catch (error) {
      // Another process won the race: its key is complete (it was fsynced before the link) and is the one to use.
      if (!isErrno(error, 'EEXIST')) throw error
    }
  })
}

/** Writes `data` to a fresh temp file beside `target` with exactly `mode`, fsyncs it, hands it to `publish`. */
async function writeKeyFile(
  target: string,
  data: string,
  mode: number,
  publish: (tempPath: string) => Promise<void>,
): Promise<void> {
  const temp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  )
  try {
    const handle = await open(temp, 'wx', mode)
    try {
      // The umask may have narrowed `mode`; a public key must stay readable by sshd-like tools.
      await handle.chmod(mode)
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await publish(temp)
  } finally {
    await rm(temp, { force: true })
  }
}

function publicKeyOf(utils: Ssh2Utils, privateKeyPem: string, privateKeyPath: string): string {
  // ssh2's types say one key, but an OpenSSH private key file parses to a list of the keys it holds.
  const parsed: ParsedKey | ParsedKey[] | Error = utils.parseKey(privateKeyPem)
  const key = Array.isArray(parsed) ? parsed[0] : parsed
  if (!key || key instanceof Error || !key.isPrivateKey()) {
    throw new NexusError(
      'SSH_ERROR',
      `The nexus SSH key at ${privateKeyPath} is not a readable private key.`,
      {
        suggestion: `Delete ${privateKeyPath} and its .pub file so nexus makes a new key, then recreate your workspaces.`,
        retryable: false,
        details: { path: privateKeyPath, cause: key instanceof Error ? key.message : 'not a private key' },
      },
    )
  }
  return formatPublicKey(key)
}

/** The authorized_keys line for a parsed key. */
function formatPublicKey(key: ParsedKey): string {
  const line = `${key.type} ${key.getPublicSSH().toString('base64')}`
  return key.comment ? `${line} ${key.comment}` : line
}

/** OpenSSHAgent answers with parsed keys; its declared type also admits wrappers that it never produces. */
function isParsedKey(value: unknown): value is ParsedKey {
  return typeof (value as Partial<ParsedKey> | null)?.getPublicSSH === 'function'
}

async function ensureMode(path: string, mode: number): Promise<void> {
  const info = await stat(path)
  // OpenSSH refuses a private key others can read ("UNPROTECTED PRIVATE KEY FILE"), so repair rather than fail.
  if ((info.mode & 0o777) !== mode) await chmod(path, mode)
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false
    throw error
  }
}

/**
 * The public keys the user's ssh-agent holds, in OpenSSH format, so a workspace can authorize them too.
 * No agent, a stale socket or an agent that does not answer in time all mean "none": this is a convenience, never
 * a reason to fail a command.
 */
export async function agentPublicKeys(
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs = AGENT_TIMEOUT_MS,
): Promise<string[]> {
  const socketPath = env.SSH_AUTH_SOCK
  if (!socketPath) return []
  const { OpenSSHAgent } = await loadSsh2()
  const agent = new OpenSSHAgent(socketPath)
  // ssh2 keeps the agent socket to itself; capture it so a silent agent can be hung up on at the deadline.
  let agentStream: Duplex | undefined
  const openStream = agent.getStream.bind(agent)
  agent.getStream = (callback) =>
    openStream((error, stream) => {
      agentStream = stream
      callback(error, stream)
    })

  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      agentStream?.destroy()
      resolve([])
    }, timeoutMs)
    agent.getIdentities((error, keys) => {
      clearTimeout(timer)
      if (error || !keys) {
        resolve([])
        return
      }
      resolve(keys.filter(isParsedKey).map(formatPublicKey))
    })
  })
}
