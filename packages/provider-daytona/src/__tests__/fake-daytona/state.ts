import { randomBytes, randomUUID } from 'node:crypto'
import { join } from 'node:path'

/** A sandbox as the fake keeps it; `dto()` renders what the API returns. */
export interface FakeSandbox {
  id: string
  name: string
  labels: Record<string, string>
  env: Record<string, string>
  state: string
  target: string
  cpu: number
  memory: number
  disk: number
  snapshot: string | null
  autoStopInterval: number
  public: boolean
  createdAt: string
  /** The sandbox's filesystem root on this machine; its home is `<root>/home/daytona`. */
  root: string
  lsp: Array<{ languageId: string; pathToProject: string }>
  signedPreviews: Map<string, number>
}

export interface FakeSnapshot {
  id: string
  name: string
  state: string
  /** Copy of the source sandbox's root. */
  dir: string | null
  sourceSandboxId: string | null
  createdAt: string
}

export interface SshGrant {
  token: string
  sandboxId: string
  expiresAt: number
}

/** Failures to inject: the next `count` API calls (toolbox included) answer `status`. */
export interface InjectedFailure {
  status: number
  message: string
  count: number
  /** Only requests whose path contains this; all when absent. */
  pathIncludes?: string
}

export const ORGANIZATION_ID = 'org-fake-0001'

/** Everything the fake knows; tests read it to assert on what nexus really did. */
export class FakeDaytonaState {
  readonly sandboxes = new Map<string, FakeSandbox>()
  readonly snapshots = new Map<string, FakeSnapshot>()
  readonly grants = new Map<string, SshGrant>()
  readonly revokedTokens: string[] = []
  readonly deletedSandboxes: string[] = []
  readonly requests: Array<{ method: string; path: string; authorization: string | undefined }> = []
  failures: InjectedFailure[] = []
  /**
   * Daytona's real gateway (`apps/ssh-gateway`, Go) sets `NoClientAuth` and has no public-key callback: it admits
   * the `none` method only, and checks the token (the user name) after the handshake. `none-only` imitates that;
   * `lenient` also admits `publickey` (as an OpenSSH client offering keys would be let in); `refuse` turns every
   * login away, to test how a refused session is reported.
   */
  sshAuth: 'lenient' | 'none-only' | 'refuse' = 'none-only'
  /** How long each transitional state lasts. */
  stepMs = 30
  apiUrl = ''
  toolboxUrl = ''
  sshPort = 0

  constructor(
    readonly apiKey: string,
    readonly scratch: string,
  ) {}

  homeOf(sandbox: FakeSandbox): string {
    return join(sandbox.root, 'home', 'daytona')
  }

  newSandboxId(): string {
    return randomUUID()
  }

  newToken(): string {
    return randomBytes(16).toString('hex')
  }

  /** Moves a sandbox through `states`, one step each, the way Daytona's runners do. */
  walk(sandbox: FakeSandbox, states: string[]): void {
    const [next, ...rest] = states
    if (next === undefined) return
    setTimeout(() => {
      if (!this.sandboxes.has(sandbox.id)) return
      sandbox.state = next
      this.walk(sandbox, rest)
    }, this.stepMs).unref()
  }

  /** The injected failure that answers this request, if any (consumed). */
  takeFailure(path: string): InjectedFailure | undefined {
    const failure = this.failures.find(
      (f) => f.count > 0 && (!f.pathIncludes || path.includes(f.pathIncludes)),
    )
    if (!failure) return undefined
    failure.count -= 1
    return failure
  }

  /** Makes the next `count` requests answer 429, as Daytona's rate limiter does. */
  rateLimitNext(count: number, pathIncludes?: string): void {
    this.failures.push({
      status: 429,
      message: 'ThrottlerException: Too Many Requests',
      count,
      ...(pathIncludes ? { pathIncludes } : {}),
    })
  }

  clearFailures(): void {
    this.failures = []
  }

  /** Stops a sandbox behind nexus's back, as Daytona's auto-stop does. */
  autoStop(sandboxId: string): void {
    const sandbox = this.sandboxes.get(sandboxId)
    if (sandbox) sandbox.state = 'stopped'
  }

  validGrant(token: string): SshGrant | undefined {
    const grant = this.grants.get(token)
    if (!grant || grant.expiresAt < Date.now()) return undefined
    const sandbox = this.sandboxes.get(grant.sandboxId)
    return sandbox && sandbox.state === 'started' ? grant : undefined
  }

  dto(sandbox: FakeSandbox): Record<string, unknown> {
    return {
      id: sandbox.id,
      organizationId: ORGANIZATION_ID,
      name: sandbox.name,
      snapshot: sandbox.snapshot,
      user: 'daytona',
      env: sandbox.env,
      labels: sandbox.labels,
      public: sandbox.public,
      networkBlockAll: false,
      target: sandbox.target,
      cpu: sandbox.cpu,
      gpu: 0,
      memory: sandbox.memory,
      disk: sandbox.disk,
      state: sandbox.state,
      desiredState: sandbox.state === 'stopped' || sandbox.state === 'stopping' ? 'stopped' : 'started',
      errorReason: null,
      backupState: 'None',
      autoStopInterval: sandbox.autoStopInterval,
      autoArchiveInterval: 10080,
      autoDeleteInterval: -1,
      class: 'small',
      createdAt: sandbox.createdAt,
      updatedAt: new Date().toISOString(),
      toolboxProxyUrl: this.toolboxUrl,
    }
  }

  snapshotDto(snapshot: FakeSnapshot): Record<string, unknown> {
    return {
      id: snapshot.id,
      organizationId: ORGANIZATION_ID,
      general: false,
      name: snapshot.name,
      imageName: snapshot.name,
      state: snapshot.state,
      size: 0.01,
      entrypoint: null,
      cpu: 1,
      gpu: 0,
      mem: 1,
      disk: 3,
      errorReason: null,
      createdAt: snapshot.createdAt,
      updatedAt: snapshot.createdAt,
      lastUsedAt: null,
      sourceSandboxId: snapshot.sourceSandboxId,
    }
  }
}
