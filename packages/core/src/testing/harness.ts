import type { ExecRequest, ExecResult, Provider, WorkspaceSpec } from '../provider/index.js'
import type { Workspace } from '../workspace/index.js'

/** What a provider package hands the conformance suite: how to make its provider and a workspace to run. */
export interface ConformanceHarness {
  /**
   * A fresh provider instance, constructed as the CLI would (with a ProviderContext). Instances made by one harness
   * must share backend state (the same `nexusHome`), since the suite creates with one and inspects with another.
   * `capabilities` overrides the provider's defaults when the provider supports that (as `backends.mock.capabilities`
   * does); a provider that ignores it is not tested for honouring it.
   */
  makeProvider(overrides?: { capabilities?: Record<string, boolean> }): Promise<Provider>
  /** A workspace record + spec ready for create(): a real git worktree in a temp dir, allocated ports. */
  makeWorkspace(name: string): Promise<{ workspace: Workspace; spec: WorkspaceSpec }>
  cleanup?(): Promise<void>
  /** Optional: exec over SSH for providers without native exec. */
  exec?(provider: Provider, workspace: Workspace, request: ExecRequest): Promise<ExecResult>
  /** Per test and per hook, in milliseconds; raise it for backends that boot machines. Default 60 s. */
  timeoutMs?: number
}
