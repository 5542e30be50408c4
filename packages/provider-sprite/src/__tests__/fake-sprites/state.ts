import type { ChildProcess } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { join, posix } from 'node:path'

/**
 * The fake's model of one sprite. Its filesystem is a scratch directory: the sprite's `/` is `<root>`, so
 * `/home/sprite/workspace` lives at `<root>/home/sprite/workspace`. Paths reach the fake only through the API's own
 * path parameters (exec `dir`, fs `path`/`workingDir`), which it maps; commands run on this host with their cwd
 * mapped and HOME set to `<root>/home/sprite`, so a command that names an absolute sprite path itself would not
 * find it (the provider never does).
 */
export interface FakeSprite {
  id: string
  name: string
  status: 'cold' | 'warm' | 'running'
  labels: string[]
  urlAuth: string
  createdAt: string
  root: string
  checkpointDir: string
  checkpoints: FakeCheckpoint[]
  sessions: Map<string, FakeSession>
  services: Map<string, FakeService>
}

export interface FakeCheckpoint {
  id: string
  comment: string
  createTime: string
}

export interface FakeSession {
  id: string
  command: string
  workdir: string
  tty: boolean
  created: string
  process: ChildProcess
}

export interface FakeService {
  name: string
  cmd: string
  args: string[]
  dir: string | undefined
  httpPort: number | undefined
  status: 'stopped' | 'running' | 'failed'
  process: ChildProcess | undefined
  logs: string[]
}

/** A canned failure for the next matching HTTP requests (and WebSocket upgrades). */
export interface FailureKnob {
  status: number
  body: Record<string, unknown>
  headers?: Record<string, string>
  /** How many requests it applies to. */
  remaining: number
  /** Only requests whose `METHOD path` matches; all when absent. */
  match?: RegExp
}

export interface RequestRecord {
  method: string
  path: string
  authorized: boolean
}

export class FakeState {
  readonly sprites = new Map<string, FakeSprite>()
  readonly failures: FailureKnob[] = []
  readonly requests: RequestRecord[] = []
  /** Every `{type:'resize'}` and initial TTY size the exec channel saw, in order. */
  readonly terminalSizes: Array<{ cols: number; rows: number }> = []
  /** The next restore streams an error message (after an info line) instead of restoring. */
  failNextRestore: string | null = null
  /** The next checkpoint streams an error message instead of checkpointing. */
  failNextCheckpoint: string | null = null
  private counter = 0

  constructor(
    readonly baseDir: string,
    readonly token: string,
  ) {}

  async addSprite(name: string, labels: string[], urlAuth: string): Promise<FakeSprite> {
    this.counter += 1
    const home = join(this.baseDir, name)
    const sprite: FakeSprite = {
      id: `sprite-${this.counter}`,
      name,
      status: 'cold',
      labels,
      urlAuth,
      createdAt: new Date().toISOString(),
      root: join(home, 'root'),
      checkpointDir: join(home, 'checkpoints'),
      checkpoints: [],
      sessions: new Map(),
      services: new Map(),
    }
    await mkdir(join(sprite.root, 'home', 'sprite'), { recursive: true })
    await mkdir(sprite.checkpointDir, { recursive: true })
    this.sprites.set(name, sprite)
    return sprite
  }

  /** Where a sprite path is on this host; relative paths start at `workingDir` (default `/`). */
  hostPath(sprite: FakeSprite, path: string, workingDir = '/'): string {
    const absolute = posix.resolve('/', workingDir, path)
    return join(sprite.root, absolute)
  }

  /** Fails the next `count` requests (optionally only those matching `match`) with `status`. */
  failNext(
    status: number,
    count = 1,
    options: { body?: Record<string, unknown>; headers?: Record<string, string>; match?: RegExp } = {},
  ): void {
    this.failures.push({
      status,
      body: options.body ?? { error: `fake_${status}`, message: `Injected failure (status ${status})` },
      remaining: count,
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.match ? { match: options.match } : {}),
    })
  }

  /** Takes the injected failure for this request, if one applies. */
  takeFailure(method: string, path: string): FailureKnob | undefined {
    const knob = this.failures.find((f) => f.remaining > 0 && (!f.match || f.match.test(`${method} ${path}`)))
    if (!knob) return undefined
    knob.remaining -= 1
    return knob
  }

  /** A sprite with no session left goes warm; a later test may make it cold with {@link makeCold}. */
  settle(sprite: FakeSprite): void {
    if (sprite.sessions.size === 0 && sprite.status === 'running') sprite.status = 'warm'
  }

  makeCold(name: string): void {
    const sprite = this.sprites.get(name)
    if (sprite) sprite.status = 'cold'
  }
}
