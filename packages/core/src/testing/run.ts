import { randomBytes } from 'node:crypto'
import type { CreateResult, ExecRequest, ExecResult, Provider, StartResult } from '../provider/index.js'
import type { Workspace } from '../workspace/index.js'
import type { ConformanceHarness } from './harness.js'

const DEFAULT_TIMEOUT_MS = 60_000

type Exec = (workspace: Workspace, request: ExecRequest) => Promise<ExecResult>

/**
 * What the suite's sections share: the provider under test and every workspace they made, so that whatever a
 * failing test leaves behind is destroyed at the end and the next run starts clean.
 */
export class ConformanceRun {
  readonly timeoutMs: number
  /** Names must not collide with another run on the same backend (containers are named after workspaces). */
  private readonly runTag = randomBytes(3).toString('hex')
  private counter = 0
  private current: Provider | undefined
  private readonly live = new Map<string, { provider: Provider; workspace: Workspace }>()

  constructor(
    readonly backend: string,
    readonly harness: ConformanceHarness,
  ) {
    this.timeoutMs = harness.timeoutMs ?? DEFAULT_TIMEOUT_MS
  }

  get provider(): Provider {
    if (!this.current) throw new Error('The conformance suite used the provider before beforeAll made it.')
    return this.current
  }

  async open(): Promise<void> {
    this.current = await this.harness.makeProvider()
  }

  async close(): Promise<void> {
    for (const { provider, workspace } of this.live.values()) {
      await provider.destroy(workspace).catch(() => undefined)
    }
    this.live.clear()
    await this.harness.cleanup?.()
  }

  /** A valid, unique workspace name for this run. */
  uniqueName(label: string): string {
    this.counter += 1
    return `cf-${this.runTag}-${label}-${this.counter}`
  }

  /** A record and spec from the harness, not yet known to the backend. */
  async draft(
    label: string,
  ): Promise<{ workspace: Workspace; spec: Parameters<Provider['create']>[0]['spec'] }> {
    return this.harness.makeWorkspace(this.uniqueName(label))
  }

  /** Creates a workspace as core does: the handle the backend returns is stored on the record. */
  async create(label: string, provider: Provider = this.provider): Promise<Workspace> {
    const { workspace, spec } = await this.draft(label)
    const result: CreateResult = await provider.create({ workspace, spec })
    const created: Workspace = { ...workspace, status: 'stopped', backendRef: result.backendRef }
    this.remember(provider, created)
    return created
  }

  async start(workspace: Workspace, provider: Provider = this.provider): Promise<Workspace> {
    const result: StartResult | void = await provider.start(workspace)
    const started: Workspace = {
      ...workspace,
      status: 'running',
      backendRef: result?.backendRef ?? workspace.backendRef,
    }
    this.remember(provider, started)
    return started
  }

  async createRunning(label: string): Promise<Workspace> {
    return this.start(await this.create(label))
  }

  forget(workspace: Workspace): void {
    this.live.delete(workspace.id)
  }

  /** How the suite runs commands: the provider's native exec when it claims one, else the harness's SSH exec. */
  exec(provider: Provider = this.provider): Exec | undefined {
    const native = provider.exec
    if (provider.capabilities().exec === true && native)
      return (workspace, request) => native.call(provider, workspace, request)
    const viaHarness = this.harness.exec
    if (viaHarness) return (workspace, request) => viaHarness.call(this.harness, provider, workspace, request)
    return undefined
  }

  private remember(provider: Provider, workspace: Workspace): void {
    this.live.set(workspace.id, { provider, workspace })
  }
}
