import { fileURLToPath } from 'node:url'

/** The parts of the provider's fake Sprites API (test code of @nexus/provider-sprite) the Sprites suites drive. */
export interface FakeSprites {
  url: string
  state: {
    sprites: Map<string, { name: string; labels: string[]; urlAuth: string }>
    terminalSizes: Array<{ cols: number; rows: number }>
    failNextRestore: string | null
    failNext(
      status: number,
      count: number,
      options: { match?: RegExp; headers?: Record<string, string> },
    ): void
  }
  close(): Promise<void>
}

// The fake lives with the provider's tests and is loaded by path (it is test code, not part of any package's API);
// the unmodified SDK inside the `nexus` child process talks to it over HTTP and WebSocket.
const FAKE_SERVER = fileURLToPath(
  new URL('../../../../provider-sprite/src/__tests__/fake-sprites/server.ts', import.meta.url),
)
export const { startFakeSprites } = (await import(FAKE_SERVER)) as {
  startFakeSprites(options: { token: string }): Promise<FakeSprites>
}
