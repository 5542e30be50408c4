import { type ChildProcess, spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SshEndpoint } from '../provider/index.js'
import { runProgram } from '../util/exec-file.js'
import { closedPort } from './__tests__/ports.js'
import { type SshdContainer, dockerAvailable, startSshdContainer } from './__tests__/sshd-container.js'
import { OutputCollector } from './__tests__/streams.js'
import { sshExec, sshShell } from './client.js'
import { agentPublicKeys, ensureKeyPair } from './keys.js'
import { writeSshConfig } from './ssh-config.js'
import { waitForSsh } from './wait.js'

const DOCKER = dockerAvailable()

const TITLE = DOCKER
  ? 'SSH against a real sshd in a container'
  : 'SSH against a real sshd in a container — SKIPPED: `docker version` failed, no Docker engine to run sshd in'

describe.skipIf(!DOCKER)(TITLE, () => {
  const containers: SshdContainer[] = []
  let work: string
  let endpoint: SshEndpoint
  let publicKey: string

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'nexus-ssh-'))
    const pair = await ensureKeyPair(join(work, 'home'))
    publicKey = pair.publicKey
    const container = await startSshdContainer([publicKey])
    containers.push(container)
    endpoint = {
      host: '127.0.0.1',
      port: container.port,
      user: 'root',
      identity: pair.privateKeyPath,
      forwardAgent: false,
    }
    await waitForSsh(endpoint, { timeoutMs: 30_000, intervalMs: 100 })
  })

  afterAll(async () => {
    await Promise.all(containers.map((container) => container.remove()))
    if (work) await rm(work, { recursive: true, force: true })
  })

  async function run(command: string[], extra: Partial<Parameters<typeof sshExec>[1]> = {}) {
    const stdout = new OutputCollector()
    const stderr = new OutputCollector()
    const { exitCode } = await sshExec(endpoint, { command, stdout, stderr, ...extra })
    return { exitCode, stdout: stdout.text, stderr: stderr.text }
  }

  it('waitForSsh returns once the sshd of a just-started container answers', async () => {
    const container = await startSshdContainer([publicKey])
    containers.push(container)
    const fresh = { ...endpoint, port: container.port }
    const { attempts } = await waitForSsh(fresh, { timeoutMs: 30_000, intervalMs: 50 })
    expect(attempts).toBeGreaterThanOrEqual(1)
    expect(
      (
        await sshExec(fresh, {
          command: ['true'],
          stdout: new OutputCollector(),
          stderr: new OutputCollector(),
        })
      ).exitCode,
    ).toBe(0)
  })

  it('returns the remote exit status', async () => {
    expect((await run(['true'])).exitCode).toBe(0)
    expect((await run(['sh', '-c', 'exit 7'])).exitCode).toBe(7)
  })

  it('reports a command killed by a signal as 128 + the signal number', async () => {
    expect((await run(['sh', '-c', 'kill -TERM $$'])).exitCode).toBe(143)
  })

  it('keeps stdout and stderr apart', async () => {
    const result = await run(['sh', '-c', 'echo to-out; echo to-err >&2'])
    expect(result).toEqual({ exitCode: 0, stdout: 'to-out\n', stderr: 'to-err\n' })
  })

  it('delivers arguments with spaces, quotes and $ verbatim', async () => {
    const args = ['a b', "it's", '"double"', '$HOME', '`id`', '*', '']
    const result = await run(['printf', '%s\\n', ...args])
    expect(result.stdout).toBe(args.map((arg) => `${arg}\n`).join(''))
  })

  it('passes stdin through and its end reaches the remote side as EOF', async () => {
    const payload = randomBytes(2 * 1024 * 1024)
    const result = await run(['sha256sum'], {
      stdin: Readable.from([payload.subarray(0, 1000), payload.subarray(1000)]),
    })
    expect(result.stdout.split(' ')[0]).toBe(createHash('sha256').update(payload).digest('hex'))
  })

  it('finishes cleanly when the command exits without reading all of stdin', async () => {
    async function* endless(): AsyncGenerator<Buffer> {
      for (;;) yield Buffer.alloc(64 * 1024, 120)
    }
    const source = Readable.from(endless())
    const result = await run(['sh', '-c', 'head -c 10; exit 3'], { stdin: source })
    expect(result).toEqual({ exitCode: 3, stdout: 'xxxxxxxxxx', stderr: '' })
    source.destroy()
  })

  it('sends EOF at once when there is no stdin, so reading commands do not hang', async () => {
    expect(await run(['cat'])).toEqual({ exitCode: 0, stdout: '', stderr: '' })
  })

  it('runs in the given directory with the given environment', async () => {
    const result = await run(['sh', '-c', 'printf "%s|%s" "$GREETING" "$PWD"'], {
      cwd: '/usr/share',
      env: { GREETING: "hi 'there' $USER" },
    })
    expect(result.stdout).toBe("hi 'there' $USER|/usr/share")
  })

  it('allocates a pty only when asked', async () => {
    expect((await run(['tty'])).exitCode).not.toBe(0)
    const withTty = await run(['tty'], { tty: true })
    expect(withTty.exitCode).toBe(0)
    expect(withTty.stdout).toMatch(/^\/dev\/pts\/\d+/)
  })

  it('runs a login shell fed from stdin', async () => {
    const stdout = new OutputCollector()
    const { exitCode } = await sshShell(endpoint, {
      stdin: Readable.from(['echo "shell-$((6 * 7))"\n', 'exit 5\n']),
      stdout,
      stderr: new OutputCollector(),
    })
    expect(exitCode).toBe(5)
    expect(stdout.text).toContain('shell-42')
  })

  it('reports a refused connection as a retryable SSH_ERROR that says what to run', async () => {
    const closed = { ...endpoint, port: await closedPort() }
    await expect(
      sshExec(closed, {
        command: ['true'],
        stdout: new OutputCollector(),
        stderr: new OutputCollector(),
        workspaceName: 'api',
      }),
    ).rejects.toMatchObject({
      name: 'NexusError',
      code: 'SSH_ERROR',
      retryable: true,
      suggestion: expect.stringMatching(/nexus workspace info api.*nexus workspace start api/),
    })
  })

  it('reports a key the workspace does not authorize as a non-retryable SSH_ERROR about the key', async () => {
    const stranger = await ensureKeyPair(join(work, 'stranger'))
    await expect(
      sshExec(
        { ...endpoint, identity: stranger.privateKeyPath },
        {
          command: ['true'],
          stdout: new OutputCollector(),
          stderr: new OutputCollector(),
        },
      ),
    ).rejects.toMatchObject({
      code: 'SSH_ERROR',
      retryable: false,
      suggestion: expect.stringContaining('key'),
    })
  })

  it('is reachable with OpenSSH through the generated ssh_config', async () => {
    // A key path with a space and a % checks the quoting and %-escaping that ssh_config needs.
    const keyDir = join(work, 'key dir 100%')
    await mkdir(keyDir)
    const identity = join(keyDir, 'id_ed25519')
    await copyFile(endpoint.identity, identity)
    expect((await stat(identity)).mode & 0o777).toBe(0o600)
    const configFile = await writeSshConfig(join(work, 'home'), [
      { alias: 'nexus-test', endpoint: { ...endpoint, identity } },
    ])

    const result = await runProgram('ssh', [
      '-F',
      configFile,
      '-o',
      'BatchMode=yes',
      'nexus-test',
      'echo via-openssh',
    ])
    expect(result.stderr).toBe('')
    expect(result.stdout).toBe('via-openssh\n')
  })

  describe('with a real ssh-agent on the host', () => {
    let agent: ChildProcess
    let agentSocket: string
    let agentKeyPublic: string
    let agentKeyFingerprint: string

    beforeAll(async () => {
      agentSocket = join(work, 'agent.sock')
      agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' })
      for (let waited = 0; !(await exists(agentSocket)); waited += 20) {
        if (waited > 5_000) throw new Error('ssh-agent did not create its socket')
        await sleep(20)
      }
      const keyFile = join(work, 'throwaway')
      expect(
        (await runProgram('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'throwaway', '-f', keyFile]))
          .exitCode,
      ).toBe(0)
      const added = await runProgram('ssh-add', [keyFile], {
        env: { ...process.env, SSH_AUTH_SOCK: agentSocket },
      })
      expect(added.exitCode).toBe(0)
      agentKeyPublic = (await readFile(`${keyFile}.pub`, 'utf8')).trim()
      agentKeyFingerprint =
        (await runProgram('ssh-keygen', ['-l', '-f', `${keyFile}.pub`])).stdout.split(' ')[1] ?? ''
      expect(agentKeyFingerprint).toMatch(/^SHA256:/)
    })

    afterAll(() => {
      agent?.kill()
    })

    it('lists the keys the agent holds', async () => {
      expect(await agentPublicKeys({ SSH_AUTH_SOCK: agentSocket })).toEqual([agentKeyPublic])
    })

    it('forwards the agent when the endpoint asks for it', async () => {
      const stdout = new OutputCollector()
      const { exitCode } = await sshExec(
        { ...endpoint, forwardAgent: true },
        { command: ['ssh-add', '-l'], stdout, stderr: new OutputCollector(), agentSocket },
      )
      expect(exitCode).toBe(0)
      expect(stdout.text).toContain(agentKeyFingerprint)
    })

    it('does not forward the agent when the endpoint does not ask for it', async () => {
      const result = await run(['ssh-add', '-l'], { agentSocket })
      expect(result.exitCode).toBe(2)
      expect(result.stdout).not.toContain(agentKeyFingerprint)
    })
  })
})

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}
