import type { OperationDescriptor, ParamSpec } from '@nexus/core'

const snapshotName: ParamSpec = { type: 'string', required: true, description: 'Snapshot name.' }
const port: ParamSpec = {
  type: 'number',
  required: true,
  description: 'Port inside the sandbox (e.g. 3000).',
}
const language: ParamSpec = {
  type: 'string',
  required: true,
  description: 'Language server to run.',
  options: ['python', 'typescript', 'javascript'],
}
const projectPath: ParamSpec = {
  type: 'string',
  description: "Project directory in the sandbox; the workspace's code directory when absent.",
}

function workspaceOperation(
  id: string,
  summary: string,
  capability: string,
  params: Record<string, ParamSpec> = {},
): OperationDescriptor {
  return { id, summary, capability, scope: 'workspace', params }
}

/**
 * Daytona's escape hatches. The `snapshot` commands go through nexus's own snapshot records (so `create
 * --from-snapshot` finds them); the operations themselves act on Daytona's side only.
 */
export const DAYTONA_OPERATIONS: OperationDescriptor[] = [
  workspaceOperation(
    'daytona.snapshot.create',
    "Capture the sandbox's filesystem as a Daytona snapshot.",
    'snapshots',
    {
      name: snapshotName,
    },
  ),
  workspaceOperation(
    'daytona.snapshot.restore',
    'Recreate the sandbox from one of its snapshots.',
    'snapshots',
    {
      name: snapshotName,
    },
  ),
  workspaceOperation('daytona.snapshot.list', "List the workspace's Daytona snapshots.", 'snapshots'),
  workspaceOperation('daytona.snapshot.delete', 'Delete a Daytona snapshot of the workspace.', 'snapshots', {
    name: snapshotName,
  }),
  workspaceOperation('daytona.preview.create', 'Get a preview URL for a port of the sandbox.', 'previews', {
    port,
    public: {
      type: 'boolean',
      default: false,
      description: 'A signed URL anyone can open (no token header needed), valid for --expires seconds.',
    },
    expires: { type: 'number', default: 3600, description: 'Seconds a public (signed) URL stays valid.' },
  }),
  workspaceOperation('daytona.preview.list', 'List the preview URLs made for the workspace.', 'previews'),
  workspaceOperation(
    'daytona.preview.delete',
    'Forget a preview URL, expiring it when it is a signed one.',
    'previews',
    {
      port,
    },
  ),
  workspaceOperation('daytona.lsp.start', 'Start a language server in the sandbox.', 'lsp', {
    language,
    path: projectPath,
  }),
  workspaceOperation('daytona.lsp.stop', 'Stop a language server in the sandbox.', 'lsp', {
    language,
    path: projectPath,
  }),
  workspaceOperation(
    'daytona.file.upload',
    'Upload a file or directory into the sandbox (File API).',
    'fileApi',
    {
      local: { type: 'string', required: true, description: 'Local file or directory.' },
      remote: {
        type: 'string',
        required: true,
        description: "Destination in the sandbox; relative paths are under the workspace's code directory.",
      },
    },
  ),
  workspaceOperation(
    'daytona.file.download',
    'Download a file or directory from the sandbox (File API).',
    'fileApi',
    {
      remote: {
        type: 'string',
        required: true,
        description:
          "File or directory in the sandbox; relative paths are under the workspace's code directory.",
      },
      local: { type: 'string', required: true, description: 'Local destination.' },
    },
  ),
  workspaceOperation('daytona.process.execute', 'Run a command through the Process API.', 'processApi', {
    command: { type: 'string', required: true, description: 'Command line to run.' },
    cwd: { type: 'string', description: "Working directory; the workspace's code directory when absent." },
  }),
]
