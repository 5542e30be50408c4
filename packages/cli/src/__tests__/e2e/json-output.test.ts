import { afterAll, beforeAll, expect, it } from 'vitest'
import { createSandbox, type Sandbox } from './harness.js'

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await createSandbox()
})

afterAll(async () => {
  await sandbox?.cleanup()
})

// In order: later commands need what earlier ones made. Failures count too: they must be one JSON document as well.
const COMMANDS: Array<[string[], number]> = [
  [['workspace', 'create', 'doc', '--backend', 'mock'], 0],
  [['workspace', 'list'], 0],
  [['workspace', 'list', '--all'], 0],
  [['workspace', 'info', 'doc'], 0],
  [['workspace', 'exec', 'doc', '--', 'echo', 'hi'], 0],
  [['workspace', 'stop', 'doc'], 0],
  [['workspace', 'start', 'doc'], 0],
  [['workspace', 'pause', 'doc'], 0],
  [['workspace', 'resume', 'doc'], 0],
  [['workspace', 'logs', 'doc'], 0],
  [['workspace', 'logs', 'doc', '--follow'], 2],
  [['workspace', 'ssh', 'doc'], 1],
  [['workspace', 'ssh-config'], 0],
  [['provider', 'list'], 0],
  [['provider', 'info', 'mock'], 0],
  [['config', 'set', 'defaults.resources', 'medium'], 0],
  [['config', 'get', 'defaults.resources'], 0],
  [['config', 'list'], 0],
  [['config', 'unset', 'defaults.resources'], 0],
  [['workspace', 'destroy', 'doc'], 0],
  [['workspace', 'info', 'doc'], 1],
]

it('prints exactly one JSON document on stdout for every command under --json', async () => {
  for (const [args, expectedCode] of COMMANDS) {
    // Right after the command's words: anything after `--` belongs to the command run in the workspace.
    const result = await sandbox.nexus([...args.slice(0, 2), '--json', ...args.slice(2)])
    expect(result.code, `nexus ${args.join(' ')}: ${result.stderr}`).toBe(expectedCode)
    expect(() => JSON.parse(result.stdout), `nexus ${args.join(' ')} printed: ${result.stdout}`).not.toThrow()
    if (expectedCode !== 0) expect(JSON.parse(result.stdout)).toHaveProperty('error.code')
  }
})
