import { stat } from 'node:fs/promises'
import {
  NexusError,
  PROVIDER_API_VERSION,
  requireCapability,
  type BackendStatus,
  type Provider,
  type ProviderContext,
  type Workspace,
} from '@nexus/core'
import { mockSnapshots } from './backend-snapshots.js'
import { resolveCapabilities } from './capabilities.js'
import { cloneInto, cloneSourceOf } from './clone.js'
import { definedEnv, execOnHost } from './host-exec.js'
import { delay, resolveLatency } from './latency.js'
import { writeEvents } from './logs.js'
import { MOCK_OPERATIONS, runMockOperation } from './operations.js'
import { MockStateStore, type MockRecord, type MockStatus } from './state.js'

/** A created workspace that never ran is, to nexus, simply stopped. */
const BACKEND_STATUS: Record<MockStatus, BackendStatus> = {
  created: 'stopped',
  running: 'running',
  stopped: 'stopped',
  paused: 'paused',
}

/**
 * The `mock` backend: workspaces "run" on the host. A workspace is a state file, exec runs commands in its worktree,
 * pause is a flag. Fast and dependency-free, for tests and demos; not isolation.
 */
export function createMockProvider(context: ProviderContext): Provider {
  const capabilities = resolveCapabilities(context.config)
  const latency = resolveLatency(context.config)
  const store = new MockStateStore(context.nexusHome)
  const hostEnv = definedEnv(context.env)

  async function recordOf(workspace: Workspace): Promise<MockRecord> {
    const record = await store.read(workspace.id)
    if (!record) {
      throw new NexusError(
        'WORKSPACE_NOT_FOUND',
        `The mock backend holds nothing for workspace "${workspace.name}".`,
        {
          suggestion: `Run \`nexus workspace repair ${workspace.name}\` to recreate it, or destroy it.`,
        },
      )
    }
    return record
  }

  async function requireWorktree(record: MockRecord): Promise<void> {
    const workdir = record.workdir ?? record.worktreePath
    const worktree = await stat(workdir).catch(() => null)
    if (!worktree?.isDirectory()) {
      throw new NexusError(
        'WORKSPACE_START_FAILED',
        `The worktree of "${record.name}" is gone (${workdir}).`,
        {
          suggestion: `Run \`nexus workspace repair ${record.name}\` to restore it.`,
        },
      )
    }
  }

  function notRunning(record: MockRecord, action: string): NexusError {
    return new NexusError(
      'INVALID_TRANSITION',
      `Workspace "${record.name}" is ${record.status}; it must be running to ${action}.`,
      {
        suggestion: `Run \`nexus workspace ${record.status === 'paused' ? 'resume' : 'start'} ${record.name}\` first.`,
        details: { status: record.status },
      },
    )
  }

  const provider: Provider = {
    apiVersion: PROVIDER_API_VERSION,
    name: 'mock',
    capabilities: () => ({ ...capabilities }),
    operations: () => MOCK_OPERATIONS.map((operation) => ({ ...operation, params: { ...operation.params } })),

    async create({ workspace, spec }) {
      await delay(latency, 'create')
      // Creating again (a retry after a crash) hands back the same handle rather than failing.
      if (!(await store.read(workspace.id))) {
        const source = cloneSourceOf(spec.options)
        const workdir = source ? store.clonesDir(workspace.id) : undefined
        if (source && workdir) await cloneInto(workdir, source, hostEnv)
        const now = new Date().toISOString()
        await store.write({
          schemaVersion: 1,
          workspaceId: workspace.id,
          name: workspace.name,
          worktreePath: workspace.worktreePath,
          ...(workdir ? { workdir } : {}),
          status: 'created',
          env: { ...spec.env },
          createdAt: now,
          updatedAt: now,
          events: [{ at: now, event: 'created' }],
          snapshots: [],
        })
        await store.recordHistory({ workspaceId: workspace.id, name: workspace.name }, 'created')
      }
      return { backendRef: { workspaceId: workspace.id, stateFile: store.fileOf(workspace.id) } }
    },

    async start(workspace) {
      const record = await recordOf(workspace)
      if (record.status === 'running') return
      await requireWorktree(record)
      // The history shows when an operation began as well as when it ended, so overlapping calls are visible.
      await store.recordHistory(record, 'starting')
      await delay(latency, 'start')
      await store.update(
        record,
        { status: 'running' },
        record.status === 'paused' ? 'resumed (start)' : 'started',
      )
    },

    async stop(workspace) {
      // Nothing held means nothing running: stopping is already done.
      const record = await store.read(workspace.id)
      if (!record || record.status === 'stopped' || record.status === 'created') return
      await store.recordHistory(record, 'stopping')
      await delay(latency, 'stop')
      await store.update(record, { status: 'stopped' }, 'stopped')
    },

    async pause(workspace) {
      requireCapability(provider, 'pause', 'pause workspaces')
      const record = await recordOf(workspace)
      if (record.status === 'paused') return
      if (record.status !== 'running') throw notRunning(record, 'be paused')
      await store.update(record, { status: 'paused' }, 'paused')
    },

    async resume(workspace) {
      requireCapability(provider, 'pause', 'resume workspaces')
      const record = await recordOf(workspace)
      if (record.status === 'running') return
      if (record.status !== 'paused') {
        throw new NexusError(
          'INVALID_TRANSITION',
          `Workspace "${record.name}" is ${record.status}, not paused.`,
          {
            suggestion: `Run \`nexus workspace start ${record.name}\` instead.`,
          },
        )
      }
      await store.update(record, { status: 'running' }, 'resumed')
    },

    async destroy(workspace) {
      await delay(latency, 'destroy')
      const existed = (await store.read(workspace.id).catch(() => null)) !== null
      await store.remove(workspace.id)
      if (existed) await store.recordHistory({ workspaceId: workspace.id, name: workspace.name }, 'destroyed')
    },

    async inspect(workspace) {
      const record = await store.read(workspace.id)
      if (!record) return { status: 'missing' }
      return record.status === 'created'
        ? { status: BACKEND_STATUS.created, detail: 'created, never started' }
        : { status: BACKEND_STATUS[record.status] }
    },

    async list() {
      const records = await store.all()
      return records.map((record) => ({
        kind: 'mock-workspace',
        id: record.workspaceId,
        name: record.name,
        workspaceId: record.workspaceId,
        status: BACKEND_STATUS[record.status],
      }))
    },

    async sshEndpoint(workspace) {
      throw new NexusError(
        'CAPABILITY_NOT_SUPPORTED',
        'The mock backend runs no SSH server, so it has no SSH endpoint.',
        {
          suggestion: `Use \`nexus workspace exec ${workspace.name} -- <command>\`, or a backend with SSH such as docker.`,
          details: { capability: 'ssh' },
        },
      )
    },

    async exec(workspace, request) {
      requireCapability(provider, 'exec', 'run commands')
      const record = await recordOf(workspace)
      if (record.status !== 'running') throw notRunning(record, 'run commands')
      await requireWorktree(record)
      return execOnHost(request, {
        cwd: record.workdir ?? record.worktreePath,
        env: { ...hostEnv, ...record.env },
      })
    },

    async logs(workspace, request) {
      requireCapability(provider, 'logs', 'show logs')
      writeEvents((await recordOf(workspace)).events, request)
    },

    async health() {
      const count = (await store.all()).length
      return {
        ok: true,
        message: `The mock backend is ready; it holds ${count} workspace${count === 1 ? '' : 's'}.`,
        details: { stateDir: store.root, workspaces: count },
      }
    },

    async runOperation(request) {
      // Core checks capabilities before calling; checked again here because a plugin may call us directly.
      const operation = MOCK_OPERATIONS.find((candidate) => candidate.id === request.id)
      if (operation) requireCapability(provider, operation.capability, `run ${operation.id}`)
      return runMockOperation(request, {
        store,
        env: hostEnv,
        recordOf: (call) => {
          if (!call.workspace) {
            throw new NexusError('INVALID_ARGUMENT', `Operation ${call.id} works on a workspace; name one.`, {
              suggestion: `Run it as \`nexus workspace provider mock … <workspace>\`.`,
            })
          }
          return recordOf(call.workspace)
        },
      })
    },
  }
  // Offered only when switched on, so that a mock without the capability is what core sees of such a backend.
  if (capabilities.snapshots === true) {
    provider.snapshots = mockSnapshots({ store, recordOf, create: (request) => provider.create(request) })
  }
  return provider
}
