import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * A Docker engine of the test's own: a second dockerd with its own socket, data root and exec root, its own default
 * bridge and no iptables rules (published ports go through docker-proxy). Restarting it for real disturbs neither
 * the machine's engine nor anyone else's containers; the test only ever signals the process it started.
 *
 * Its bridge must be its own interface: a dockerd started with `--bridge none` deletes `docker0`, the machine
 * engine's bridge, and every container started on the machine's engine after that fails.
 */
export class PrivateEngine {
  readonly socket: string
  readonly host: string
  private readonly pidFile: string
  /** Linux interface names are at most 15 characters. */
  private readonly bridge = `nxprv${process.pid % 100000}`

  constructor(private readonly root: string) {
    this.socket = join(root, 'docker.sock')
    this.host = `unix://${this.socket}`
    this.pidFile = join(root, 'dockerd.pid')
  }

  /** The bridge interface dockerd is given; made once, with an address outside nexus's and Docker's pools. */
  private async ensureBridge(): Promise<void> {
    const exists = await run('ip', ['link', 'show', this.bridge]).then(
      () => true,
      () => false,
    )
    if (!exists) {
      await run('ip', ['link', 'add', 'name', this.bridge, 'type', 'bridge'])
      await run('ip', ['addr', 'add', '10.254.254.1/24', 'dev', this.bridge])
    }
    await run('ip', ['link', 'set', this.bridge, 'up'])
  }

  /** Whether this machine can run one: dockerd installed and we are root. */
  static async possible(): Promise<boolean> {
    if (process.getuid?.() !== 0) return false
    return run('dockerd', ['--version']).then(
      () => true,
      () => false,
    )
  }

  docker(args: readonly string[]): Promise<string> {
    return run('docker', [...args], { env: { ...process.env, DOCKER_HOST: this.host } }).then((r) =>
      r.stdout.trim(),
    )
  }

  answers(): Promise<boolean> {
    return this.docker(['info', '--format', '{{.ServerVersion}}']).then(
      () => true,
      () => false,
    )
  }

  async start(): Promise<void> {
    await mkdir(this.root, { recursive: true })
    await this.ensureBridge()
    const daemon = spawn(
      'dockerd',
      [
        '--host',
        this.host,
        '--data-root',
        join(this.root, 'data'),
        '--exec-root',
        join(this.root, 'exec'),
        '--pidfile',
        this.pidFile,
        '--bridge',
        this.bridge,
        '--iptables=false',
        '--ip-masq=false',
      ],
      { detached: true, stdio: 'ignore' },
    )
    daemon.unref()
    await this.waitUntil(true, 60_000)
  }

  /** SIGTERM to the dockerd this engine started, as a service manager restarting it does; waits until it is gone. */
  async stop(): Promise<void> {
    const pid = await this.pid()
    if (pid === undefined) return
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      return
    }
    for (let i = 0; i < 300 && this.alive(pid); i++) await sleep(100)
    if (this.alive(pid)) process.kill(pid, 'SIGKILL')
  }

  async restart(): Promise<void> {
    await this.stop()
    await this.start()
  }

  /** Stops the engine and removes everything it held. */
  async destroy(): Promise<void> {
    // A test that failed with the engine down still leaves its networks: bring it up to remove them.
    if (!(await this.answers()) && existsSync(join(this.root, 'data')))
      await this.start().catch(() => undefined)
    if (await this.answers()) {
      const containers = (await this.docker(['ps', '-aq'])).split('\n').filter(Boolean)
      if (containers.length) await this.docker(['rm', '-f', ...containers]).catch(() => undefined)
      // Bridge interfaces outlive a stopped dockerd on the host: remove the networks while it can still do so.
      await this.docker(['network', 'prune', '-f']).catch(() => undefined)
      await this.docker(['volume', 'prune', '-f']).catch(() => undefined)
    }
    await this.stop()
    await run('ip', ['link', 'delete', this.bridge]).catch(() => undefined)
    await rm(this.root, { recursive: true, force: true }).catch(() => undefined)
  }

  /** Copies an image of the machine's engine into this one (no registry to pull from here). */
  async loadImage(image: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const save = spawn('docker', ['save', image], { stdio: ['ignore', 'pipe', 'inherit'] })
      const load = spawn('docker', ['load', '--quiet'], {
        env: { ...process.env, DOCKER_HOST: this.host },
        stdio: ['pipe', 'ignore', 'inherit'],
      })
      save.stdout.pipe(load.stdin)
      load.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker load exited ${code}`))))
      save.on('error', reject)
    })
  }

  private async pid(): Promise<number | undefined> {
    if (!existsSync(this.pidFile)) return undefined
    const pid = Number((await readFile(this.pidFile, 'utf8')).trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  }

  private alive(pid: number): boolean {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }

  private async waitUntil(up: boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if ((await this.answers()) === up) return
      await sleep(250)
    }
    throw new Error(`the private dockerd did not ${up ? 'answer' : 'stop'} within ${timeoutMs / 1000} s`)
  }
}
