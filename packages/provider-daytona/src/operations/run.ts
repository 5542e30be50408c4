import { NexusError, type JsonValue, type OperationRequest, type Workspace } from '@nexus/core'
import type { Sandbox } from '../client/sdk.js'
import { requireRef } from '../sandbox/naming.js'
import type { Sandboxes } from '../sandbox/sandboxes.js'
import { daytonaSnapshotName } from '../sandbox/snapshots.js'
import { downloadPath, remotePath, uploadPath } from './files.js'
import { createPreview, deletePreview, listPreviews, type PreviewStore } from './previews.js'

export interface OperationDeps {
  sandboxes: Sandboxes
  previews: PreviewStore
}

function text(request: OperationRequest, name: string): string {
  const value = request.params[name]
  return typeof value === 'string' ? value : ''
}

function number(request: OperationRequest, name: string): number {
  const value = request.params[name]
  return typeof value === 'number' ? value : Number(value)
}

/** Runs a `daytona.*` escape hatch; core has already checked the capability and the params. */
export async function runDaytonaOperation(
  deps: OperationDeps,
  request: OperationRequest,
): Promise<JsonValue> {
  const workspace = request.workspace
  if (!workspace) {
    throw new NexusError('INVALID_ARGUMENT', `Operation ${request.id} works on a workspace; name one.`, {
      suggestion: 'Run it as `nexus workspace provider daytona … <workspace>`.',
    })
  }
  const { sandboxes } = deps
  const workdir = requireRef(workspace).workdir
  switch (request.id) {
    case 'daytona.snapshot.create':
      return snapshotCreate(sandboxes, workspace, text(request, 'name'))
    case 'daytona.snapshot.list':
      return snapshotList(sandboxes, workspace)
    case 'daytona.snapshot.delete': {
      const snapshot = daytonaSnapshotName(workspace, text(request, 'name'))
      await sandboxes.call(`delete snapshot ${snapshot}`, workspace, (daytona) =>
        daytona.snapshot.delete(snapshot),
      )
      return { workspace: workspace.name, snapshot, deleted: true }
    }
    case 'daytona.snapshot.restore':
      // Restoring swaps the workspace's sandbox, which only nexus's own snapshot flow may record.
      throw new NexusError(
        'INVALID_ARGUMENT',
        'A Daytona snapshot is restored through nexus, which records the new sandbox.',
        {
          suggestion: `Run \`nexus workspace provider daytona snapshot restore ${workspace.name} --name ${text(request, 'name')}\`.`,
        },
      )
    case 'daytona.preview.create':
      return createPreview(sandboxes, deps.previews, workspace, await sandboxes.running(workspace), {
        port: number(request, 'port'),
        public: request.params.public === true,
        expires: number(request, 'expires'),
      })
    case 'daytona.preview.list':
      return listPreviews(deps.previews, workspace)
    case 'daytona.preview.delete':
      return deletePreview(
        sandboxes,
        deps.previews,
        workspace,
        await sandboxes.running(workspace),
        number(request, 'port'),
      )
    case 'daytona.lsp.start':
    case 'daytona.lsp.stop':
      return lsp(sandboxes, workspace, await sandboxes.running(workspace), request, workdir)
    case 'daytona.file.upload':
      return uploadPath(
        sandboxes,
        workspace,
        await sandboxes.running(workspace),
        workdir,
        text(request, 'local'),
        text(request, 'remote'),
      )
    case 'daytona.file.download':
      return downloadPath(
        sandboxes,
        workspace,
        await sandboxes.running(workspace),
        workdir,
        text(request, 'remote'),
        text(request, 'local'),
      )
    case 'daytona.process.execute': {
      const sandbox = await sandboxes.running(workspace)
      const cwd = text(request, 'cwd') ? remotePath(workdir, text(request, 'cwd')) : workdir
      const command = text(request, 'command')
      const response = await sandboxes.call(`run a command in workspace "${workspace.name}"`, workspace, () =>
        sandbox.process.executeCommand(command, cwd, undefined, 0),
      )
      return { workspace: workspace.name, command, exitCode: response.exitCode, output: response.result }
    }
    default:
      throw new NexusError('OPERATION_NOT_FOUND', `The daytona backend has no operation "${request.id}".`, {
        suggestion: 'See `nexus provider info daytona` for its operations.',
      })
  }
}

async function snapshotCreate(sandboxes: Sandboxes, workspace: Workspace, name: string): Promise<JsonValue> {
  const sandbox = await sandboxes.require(workspace)
  const snapshot = daytonaSnapshotName(workspace, name)
  await sandboxes.call(`snapshot workspace "${workspace.name}"`, workspace, () =>
    sandbox.createSnapshot(snapshot, sandboxes.deps.config.createTimeoutSeconds),
  )
  return { workspace: workspace.name, snapshot, sourceSandboxId: sandbox.id }
}

async function snapshotList(sandboxes: Sandboxes, workspace: Workspace): Promise<JsonValue> {
  const prefix = daytonaSnapshotName(workspace, '')
  const page = await sandboxes.call(
    `list the snapshots of workspace "${workspace.name}"`,
    workspace,
    (daytona) => daytona.snapshot.list(1, 200),
  )
  const snapshots = page.items
    .filter((item) => item.name.startsWith(prefix))
    .map((item) => ({
      name: item.name.slice(prefix.length),
      snapshot: item.name,
      state: String(item.state),
      createdAt: String(item.createdAt),
    }))
  return { workspace: workspace.name, snapshots }
}

async function lsp(
  sandboxes: Sandboxes,
  workspace: Workspace,
  sandbox: Sandbox,
  request: OperationRequest,
  workdir: string,
): Promise<JsonValue> {
  const language = text(request, 'language')
  const path = text(request, 'path') ? remotePath(workdir, text(request, 'path')) : workdir
  const starting = request.id === 'daytona.lsp.start'
  await sandboxes.call(
    `${starting ? 'start' : 'stop'} the ${language} language server in "${workspace.name}"`,
    workspace,
    async () => {
      const server = await sandbox.createLspServer(language, path)
      if (starting) await server.start()
      else await server.stop()
    },
  )
  return { workspace: workspace.name, language, path, running: starting }
}
