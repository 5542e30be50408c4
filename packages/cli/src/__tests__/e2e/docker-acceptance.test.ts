import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { isPortFree, portsInTimeWait, type Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, docker, dockerAvailable, type RunResult, type Sandbox } from './harness.js'

const execFileAsync = promisify(execFile)

// The acceptance items of the Docker backend, end to end: the built CLI against the real engine and real sshd.
const BASE_IMAGE = 'nexus-base:bookworm'
const NAMES = ['a', 'b'] as const
type Name = (typeof NAMES)[number]

// A stand-in for postgres: answers each connection on 5432 with its own hostname, so two of them tell apart.
const DB_SERVER = `import signal, socket, sys
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # as PID 1, SIGTERM is ignored unless handled
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('', 5432))
s.listen()
while True:
    c, _ = s.accept()
    c.sendall((socket.gethostname() + '\\n').encode())
    c.close()`
// The service may still be binding when the workspace is up: retry for a few seconds.
const DB_CLIENT = `import socket, time
for _ in range(100):
    try:
        print(socket.create_connection(('db', 5432), 2).makefile().readline().strip())
        break
    except OSError:
        time.sleep(0.1)
else:
    raise SystemExit('db:5432 unreachable')`

let sandbox: Sandbox
let agent: ChildProcess | undefined
let agentEnv: Record<string, string>
let fingerprint: string
const workspaces = {} as Record<Name, Workspace>
const gitServer = `nexus-e2e-gitserver-${process.pid}`

function ok(result: RunResult, what: string): string {
  expect(result.code, `${what}: ${result.stdout}${result.stderr}`).toBe(0)
  return result.stdout.trim()
}

function exec(name: string, command: readonly string[]): Promise<RunResult> {
  return sandbox.nexus(['workspace', 'exec', name, '--', ...command], { env: agentEnv })
}

function dbContainer(name: Name): Promise<string> {
  const label = `label=dev.nexus.workspace-id=${workspaces[name].id}`
  return docker(['ps', '-aq', '--filter', label, '--filter', 'label=dev.nexus.service=db'])
}

function inspect<T>(container: string, format: string): Promise<T> {
  return docker(['inspect', '--format', `{{json ${format}}}`, container]).then(
    (text) => JSON.parse(text) as T,
  )
}

async function startAgent(root: string): Promise<void> {
  const key = join(root, 'throwaway_ed25519')
  const socket = join(root, 'agent.sock')
  const run = async (command: string, args: string[]) =>
    (await execFileAsync(command, args, { env: { ...sandbox.env, SSH_AUTH_SOCK: socket } })).stdout
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'nexus-e2e', '-f', key])
  agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' })
  for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(50)
  await run('ssh-add', ['-q', key])
  fingerprint = (await run('ssh-keygen', ['-l', '-f', `${key}.pub`])).split(' ')[1] ?? ''
  agentEnv = { SSH_AUTH_SOCK: socket }
}

/** Everything that carries the workspace's label or name prefix, of each kind of Docker resource. */
async function leftovers(workspace: Workspace): Promise<string[]> {
  const label = `label=dev.nexus.workspace-id=${workspace.id}`
  const prefix = `name=${String(workspace.backendRef?.container)}`
  const lists = await Promise.all(
    [
      ['ps', '-aq', '--filter', label],
      ['ps', '-aq', '--filter', prefix],
      ['network', 'ls', '-q', '--filter', label],
      ['network', 'ls', '-q', '--filter', prefix],
      ['volume', 'ls', '-q', '--filter', label],
      ['volume', 'ls', '-q', '--filter', prefix],
    ].map((args) => docker(args)),
  )
  return lists.flatMap((list) => list.split('\n')).filter(Boolean)
}

const engineUp = await dockerAvailable()

describe.skipIf(!engineUp)('the Docker backend, accepted end to end', () => {
  beforeAll(async () => {
    sandbox = await createSandbox()
    await mkdir(join(sandbox.repo, '.nexus'))
    const services = {
      db: {
        image: BASE_IMAGE,
        command: ['python3', '-c', DB_SERVER],
        ports: [5432],
        volumes: ['pgdata:/var/lib/data'],
      },
    }
    // YAML is a superset of JSON: no quoting of the Python source to get wrong.
    const config = { backends: { docker: { base_image: BASE_IMAGE } }, services }
    await writeFile(join(sandbox.repo, '.nexus', 'config.yaml'), JSON.stringify(config, null, 2))
    await startAgent(sandbox.root)
    const created = await Promise.all(
      NAMES.map((name) => sandbox.json<Workspace>(['workspace', 'create', name, '--backend', 'docker'])),
    )
    for (const workspace of created) workspaces[workspace.name as Name] = workspace
  }, 180_000)

  afterAll(async () => {
    agent?.kill()
    await docker(['rm', '-f', gitServer]).catch(() => undefined)
    if (!sandbox) return
    for (const name of NAMES) await sandbox.nexus(['workspace', 'destroy', name, '--force', '--volumes'])
    // Whatever a failed destroy left behind still carries the repository's label.
    const label = `label=dev.nexus.repo=${sandbox.repo}`
    const ids = (args: string[]) => docker(args).then((out) => out.split('\n').filter(Boolean))
    const containers = await ids(['ps', '-aq', '--filter', label])
    if (containers.length) await docker(['rm', '-f', ...containers])
    for (const kind of ['network', 'volume']) {
      const found = await ids([kind, 'ls', '-q', '--filter', label])
      if (found.length) await docker([kind, 'rm', ...found]).catch(() => undefined)
    }
    await sandbox.cleanup()
  }, 60_000)

  it('runs two workspaces side by side, each with sshd on its own 127.0.0.1 port and its own db', async () => {
    type Bindings = Record<string, Array<{ HostIp: string; HostPort: string }>>
    const published = async (container: string, port: string) =>
      (await inspect<Bindings>(container, '.HostConfig.PortBindings'))[port] ?? []
    const answers: string[] = []
    const hostPorts: string[] = []
    for (const name of NAMES) {
      const { backendRef, ports } = workspaces[name]
      const [ssh] = await published(String(backendRef?.container), '22/tcp')
      expect(ssh).toEqual({
        HostIp: '127.0.0.1',
        HostPort: String(ports.find((p) => p.name === 'ssh')?.hostPort),
      })
      const db = await dbContainer(name)
      const [dbPort] = await published(db, '5432/tcp')
      expect(dbPort?.HostIp).toBe('127.0.0.1')
      hostPorts.push(ssh?.HostPort ?? '', dbPort?.HostPort ?? '')
      const answer = ok(await exec(name, ['python3', '-c', DB_CLIENT]), `db from ${name}`)
      // `db` resolves, inside each workspace, to that workspace's own service container.
      expect(answer).toBe(await inspect<string>(db, '.Config.Hostname'))
      answers.push(answer)
    }
    expect(new Set(answers).size).toBe(2)
    expect(new Set(hostPorts).size).toBe(4)
  })

  it('shows files written in /workspace on the host, and lands commits made inside on nexus/<name>', async () => {
    ok(await exec('a', ['sh', '-c', 'echo written-inside > from-inside.txt']), 'write')
    expect(await readFile(join(workspaces.a.worktreePath, 'from-inside.txt'), 'utf8')).toBe(
      'written-inside\n',
    )
    const commit =
      'git add from-inside.txt && git -c user.name=In -c user.email=in@nexus.invalid commit -qm inside'
    ok(await exec('a', ['sh', '-c', commit]), 'commit')
    const inside = ok(await exec('a', ['git', 'rev-parse', 'HEAD']), 'rev-parse')
    expect(await sandbox.git(['rev-parse', 'nexus/a'])).toBe(inside)
    expect(await sandbox.git(['log', '-1', '--format=%s', 'nexus/a'])).toBe('inside')
  })

  it('forwards the host ssh-agent, so git push over ssh works with no private key inside', async () => {
    expect(ok(await exec('a', ['ssh-add', '-l']), 'ssh-add -l')).toContain(fingerprint)
    const keys = await exec('a', ['sh', '-c', 'grep -rlsI "PRIVATE KEY" ~ || true'])
    expect(ok(keys, 'private keys')).toBe('')

    const publicKey = await readFile(join(sandbox.root, 'throwaway_ed25519.pub'), 'utf8')
    const serve =
      'mkdir -p /run/sshd /root/.ssh && printf "%s\\n" "$KEY" > /root/.ssh/authorized_keys && ' +
      'chmod 700 /root/.ssh && chmod 600 /root/.ssh/authorized_keys && ssh-keygen -A >/dev/null && ' +
      'git init -q --bare /srv/repo.git && exec /usr/sbin/sshd -D -e'
    await docker([
      'run',
      '-d',
      '--name',
      gitServer,
      '-e',
      `KEY=${publicKey.trim()}`,
      BASE_IMAGE,
      'sh',
      '-c',
      serve,
    ])
    const network = String(workspaces.a.backendRef?.network)
    await docker(['network', 'connect', '--alias', 'gitserver', network, gitServer])
    const sshdUp = 'for i in $(seq 100); do nc -z 127.0.0.1 22 && exit; sleep 0.1; done; exit 1'
    await docker(['exec', gitServer, 'sh', '-c', sshdUp])

    const ssh = 'ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR'
    const push = `GIT_SSH_COMMAND="${ssh}" git push -q ssh://root@gitserver/srv/repo.git HEAD:refs/heads/from-a`
    ok(await sandbox.nexus(['workspace', 'ssh', 'a', '--', 'sh', '-c', push], { env: agentEnv }), 'git push')
    const pushed = await docker(['exec', gitServer, 'git', '--git-dir=/srv/repo.git', 'rev-parse', 'from-a'])
    expect(pushed).toBe(ok(await exec('a', ['git', 'rev-parse', 'HEAD']), 'HEAD'))
  })

  it("keeps /workspace files and the service volume's data across stop and start", async () => {
    const db = await dbContainer('a')
    await docker(['exec', db, 'sh', '-c', 'echo kept > /var/lib/data/marker'])
    ok(await sandbox.nexus(['workspace', 'stop', 'a']), 'stop')
    expect(await inspect<boolean>(db, '.State.Running')).toBe(false)
    ok(await sandbox.nexus(['workspace', 'start', 'a']), 'start')
    expect(ok(await exec('a', ['cat', 'from-inside.txt']), 'cat')).toBe('written-inside')
    expect(await docker(['exec', await dbContainer('a'), 'cat', '/var/lib/data/marker'])).toBe('kept')
    ok(await exec('a', ['python3', '-c', DB_CLIENT]), 'db after restart')
  })

  it('destroys without leftovers and frees the port block for the next workspace', async () => {
    for (const name of NAMES) {
      ok(await sandbox.nexus(['workspace', 'destroy', name, '--force', '--volumes']), `destroy ${name}`)
      expect(await leftovers(workspaces[name])).toEqual([])
    }
    // The git server was still attached to a's network: destroy detached it, and it keeps running.
    expect(await inspect<boolean>(gitServer, '.State.Running')).toBe(true)
    expect(await docker(['inspect', '--format', '{{len .NetworkSettings.Networks}}', gitServer])).toBe('1')
    expect(await sandbox.json<Workspace[]>(['workspace', 'ls'])).toEqual([])
    const block = workspaces.a.portBlockStart
    const ports = Array.from({ length: 10 }, (_, offset) => block + offset)
    // No container publishes any port of the block any more. (Whether a port binds right now is not the test: the
    // block lies in Linux's ephemeral range, so any outgoing connection on this machine may hold one briefly.)
    const published = await docker(['ps', '--format', '{{.Ports}}'])
    expect(ports.filter((port) => published.includes(`:${port}->`))).toEqual([])
    // The block comes from a hash of the name: the same name lands on the same, now free, block — unless one of its
    // ports is busy at that moment (bound, or in TIME_WAIT from the SSH connections just closed), which new blocks
    // skip on purpose.
    const waiting = await portsInTimeWait()
    const bindable = await Promise.all(ports.map((port) => isPortFree(port)))
    const busy = ports.some((port, index) => waiting.has(port) || !bindable[index])
    const again = await sandbox.json<Workspace>(['workspace', 'create', 'a', '--backend', 'mock'])
    if (!busy) expect(again.portBlockStart).toBe(block)
    else expect(again.portBlockStart).not.toBe(block)
    expect(basename(again.worktreePath)).toBe('a')
  })
})
