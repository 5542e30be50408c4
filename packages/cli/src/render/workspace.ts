import { formatBytes } from './bytes.js'
import {
  publishesPortsLocally,
  type DestroyResult,
  type LifecycleResult,
  type ListedWorkspace,
  type PortMapping,
  type Workspace,
  type WorkspaceInfo,
} from '@nexus/core'
import { renderFields, renderTable } from './table.js'

/** `ssh:32000 web:32001`: the host ports, which is what a user connects to. */
export function compactPorts(ports: readonly PortMapping[]): string {
  return ports.map((port) => `${port.name}:${port.hostPort}`).join(' ')
}

/** `web 127.0.0.1:32001 → 3000`, one mapping per line. */
function portLines(ports: readonly PortMapping[]): string {
  return ports
    .map(
      (port) =>
        `${port.name} 127.0.0.1:${port.hostPort} → ${port.containerPort}${port.service ? ` (${port.service})` : ''}`,
    )
    .join('\n')
}

export function renderCreated(workspace: Workspace, sshCapable: boolean): string {
  const next = [`  cd ${workspace.worktreePath}`, `  nexus workspace exec ${workspace.name} -- <command>`]
  if (sshCapable) next.push(`  nexus workspace ssh ${workspace.name}`)
  return [
    `Created workspace ${workspace.name} (${workspace.backend}, ${workspace.status}).`,
    indent(
      renderFields([
        ['branch', workspace.branch],
        ['path', workspace.worktreePath],
        ['ports', workspacePorts(workspace)],
      ]),
    ),
    '',
    'Next steps:',
    ...next,
  ].join('\n')
}

/** A remote backend's block is only reserved (for forwards): printing `127.0.0.1:port → 22` would promise a listener. */
function workspacePorts(workspace: Workspace): string {
  if (publishesPortsLocally(workspace.backend)) return portLines(workspace.ports)
  const end = workspace.portBlockStart + 9
  return `${workspace.portBlockStart}–${end} reserved on 127.0.0.1 for forwards (${workspace.backend} is reached through its own API, not a local port)`
}

const PAST_TENSE = { start: 'Started', stop: 'Stopped', pause: 'Paused', resume: 'Resumed' } as const

export function renderLifecycle(action: keyof typeof PAST_TENSE, result: LifecycleResult): string {
  const { workspace } = result
  const headline = result.unchanged
    ? `Workspace ${workspace.name} is already ${workspace.status}.`
    : `${PAST_TENSE[action]} workspace ${workspace.name}.`
  return [headline, ...result.warnings.map((warning) => `Warning: ${warning}`)].join('\n')
}

export function renderDestroyed(result: DestroyResult): string {
  const { workspace } = result
  // core's note already says which branch was kept and why.
  const branch = result.branchDeleted
    ? `Branch ${workspace.branch} deleted: all its commits are on another branch too.`
    : (result.branchNote ?? `Branch ${workspace.branch} no longer existed.`)
  return [`Destroyed workspace ${workspace.name}: its worktree and port block are released.`, branch].join(
    '\n',
  )
}

export function renderList(workspaces: readonly ListedWorkspace[], showRepo: boolean): string {
  if (workspaces.length === 0) return 'No workspaces. Create one with `nexus workspace create <name>`.'
  const headers = ['NAME', 'STATUS', 'BACKEND', 'BRANCH', 'PORTS', ...(showRepo ? ['REPO'] : [])]
  const rows = workspaces.map((w) => [
    w.name,
    !w.observed || w.observed.status === w.status
      ? w.status
      : `${w.status} (backend says ${w.observed.status})`,
    w.backend,
    w.branch,
    compactPorts(w.ports),
    ...(showRepo ? [w.repoRoot] : []),
  ])
  return renderTable(headers, rows)
}

export function renderInfo(info: WorkspaceInfo): string {
  const status =
    info.live.status === info.status ? info.status : `${info.status} (backend says ${info.live.status})`
  const resources = `${info.resources.class}: ${info.resources.cpu} CPU, ${info.resources.memory} GiB`
  const labels = Object.entries(info.labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ')
  const stats = info.stats
    ? `CPU ${info.stats.cpuPercent.toFixed(1)}%, memory ${formatBytes(info.stats.memoryBytes)}${
        info.stats.memoryLimitBytes ? ` of ${formatBytes(info.stats.memoryLimitBytes)}` : ''
      }`
    : undefined
  const lines = [
    renderFields([
      ['name', info.name],
      ['id', info.id],
      ['status', status],
      ['detail', info.live.detail],
      ['backend', info.backend],
      ['branch', info.branch],
      ['path', info.worktreePath],
      ['repo', info.repoRoot],
      ['resources', resources],
      ['ports', info.ports.length ? workspacePorts(info) : 'none'],
      ['labels', labels],
      ['ssh', info.ssh ? `ssh ${info.ssh.alias}  (or ${info.ssh.command})` : undefined],
      ['stats', stats],
      ['capabilities', info.capabilities.join(', ') || 'none'],
      ['created', info.createdAt],
      ['error', info.lastError ? `[${info.lastError.code}] ${info.lastError.message}` : undefined],
      ['next', info.lastError?.suggestion ?? undefined],
    ]),
  ]
  if (info.escapeHatches.length > 0) {
    const width = Math.max(...info.escapeHatches.map((hatch) => hatch.command.length))
    lines.push(
      '',
      'Escape hatches:',
      ...info.escapeHatches.map((hatch) => `  ${hatch.command.padEnd(width)}  ${hatch.summary}`),
    )
  }
  return lines.join('\n')
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')
}
