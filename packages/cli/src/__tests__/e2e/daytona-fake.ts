import { fileURLToPath } from 'node:url'

/** The parts of provider-daytona's fake Daytona (a test helper of that package) the Daytona suites drive and inspect. */
export interface FakeSandboxView {
  id: string
  name: string
  labels: Record<string, string>
  state: string
  snapshot: string | null
  root: string
}
export interface FakeDaytona {
  apiUrl: string
  apiKey: string
  state: {
    sandboxes: Map<string, FakeSandboxView>
    snapshots: Map<string, { name: string }>
    grants: Map<string, { sandboxId: string }>
    revokedTokens: string[]
    deletedSandboxes: string[]
    homeOf(sandbox: FakeSandboxView): string
    rateLimitNext(count: number, pathIncludes?: string): void
    clearFailures(): void
    autoStop(sandboxId: string): void
  }
  close(): Promise<void>
}

const FAKE_MODULE = fileURLToPath(
  new URL('../../../../provider-daytona/src/__tests__/fake-daytona/index.ts', import.meta.url),
)
export const { startFakeDaytona } = (await import(FAKE_MODULE)) as {
  startFakeDaytona(options: { apiKey: string }): Promise<FakeDaytona>
}
