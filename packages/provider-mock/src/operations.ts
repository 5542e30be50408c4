import { Writable } from 'node:stream'
import { NexusError, type JsonValue, type OperationDescriptor, type OperationRequest } from '@nexus/core'
import { execOnHost } from './host-exec.js'
import { createSnapshot, listSnapshots } from './snapshots.js'
import type { MockRecord, MockStateStore } from './state.js'

export const MOCK_OPERATIONS: OperationDescriptor[] = [
  {
    id: 'mock.snapshot.create',
    summary: "Copy the workspace's files (without .git) into a named snapshot.",
    capability: 'snapshots',
    scope: 'workspace',
    params: {
      snapshot: {
        type: 'string',
        description: 'Name for the snapshot (letters, digits, ., _, -).',
        required: true,
      },
    },
  },
  {
    id: 'mock.snapshot.list',
    summary: "List the workspace's snapshots.",
    capability: 'snapshots',
    scope: 'workspace',
    params: {},
  },
  {
    id: 'mock.echo',
    summary: 'Run printf on the host and return what it printed (shows provider-scoped operations).',
    capability: 'exec',
    scope: 'provider',
    params: { message: { type: 'string', description: 'Text to print back.', required: true } },
  },
]

export interface OperationDeps {
  store: MockStateStore
  /** The record of the request's workspace; throws when the backend holds none. */
  recordOf(request: OperationRequest): Promise<MockRecord>
  env: Record<string, string>
}

export async function runMockOperation(request: OperationRequest, deps: OperationDeps): Promise<JsonValue> {
  switch (request.id) {
    case 'mock.snapshot.create': {
      const info = await createSnapshot(
        deps.store,
        await deps.recordOf(request),
        String(request.params.snapshot),
      )
      return { ...info }
    }
    case 'mock.snapshot.list': {
      const snapshots = await listSnapshots(deps.store, await deps.recordOf(request))
      return snapshots.map((snapshot) => ({ ...snapshot }))
    }
    case 'mock.echo':
      return { message: await printOnHost(String(request.params.message), deps.env) }
    default:
      throw new NexusError('OPERATION_NOT_FOUND', `The mock backend has no operation "${request.id}".`, {
        suggestion: `Known operations: ${MOCK_OPERATIONS.map((operation) => operation.id).join(', ')}.`,
      })
  }
}

async function printOnHost(message: string, env: Record<string, string>): Promise<string> {
  let output = ''
  const collect = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      output += chunk.toString('utf8')
      callback()
    },
  })
  // printf, not echo: echo would read a message like "-n" as an option.
  const { exitCode } = await execOnHost(
    { command: ['printf', '%s', message], stdout: collect, stderr: collect },
    { cwd: process.cwd(), env },
  )
  if (exitCode !== 0) {
    throw new NexusError(
      'BACKEND_ERROR',
      `printf failed on the host with exit code ${exitCode}: ${output.trim()}`,
      {
        suggestion: 'Check that printf (coreutils) is on PATH.',
      },
    )
  }
  return output
}
