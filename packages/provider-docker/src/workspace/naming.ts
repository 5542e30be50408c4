import { basename } from 'node:path'
import type { Workspace } from '@nexus/core'

export const MANAGED_BY = 'nexus'

/** Labels are how nexus finds its containers, networks, volumes and images again (and spots orphans). */
export const LABELS = {
  managedBy: 'dev.nexus.managed-by',
  workspaceId: 'dev.nexus.workspace-id',
  workspace: 'dev.nexus.workspace',
  repo: 'dev.nexus.repo',
  service: 'dev.nexus.service',
  volume: 'dev.nexus.volume',
  image: 'dev.nexus.image',
  recipe: 'dev.nexus.recipe',
  base: 'dev.nexus.base',
  baseId: 'dev.nexus.base-id',
  user: 'dev.nexus.user',
  userLabel: 'dev.nexus.label.',
} as const

export const MANAGED_FILTER = `${LABELS.managedBy}=${MANAGED_BY}`

export function workspaceFilter(workspaceId: string): string {
  return `${LABELS.workspaceId}=${workspaceId}`
}

/** The repository's directory name, in the characters Docker allows in names. */
export function repoSlug(repoRoot: string): string {
  const slug = basename(repoRoot)
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '')
  return slug || 'repo'
}

export interface WorkspaceNames {
  /** `nexus-<repo>-<name>`: the container, and the workspace's own network. */
  container: string
  network: string
  service(service: string): string
  volume(volume: string): string
}

export function namesFor(workspace: Pick<Workspace, 'name' | 'repoRoot'>): WorkspaceNames {
  const prefix = `nexus-${repoSlug(workspace.repoRoot)}-${workspace.name}`
  return {
    container: prefix,
    network: prefix,
    service: (service) => `${prefix}-${service}`,
    volume: (volume) => `${prefix}-${volume}`,
  }
}

/** The labels every resource of the workspace carries. */
export function workspaceLabels(
  workspace: Pick<Workspace, 'id' | 'name' | 'repoRoot' | 'labels'>,
): Record<string, string> {
  const labels: Record<string, string> = {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.workspaceId]: workspace.id,
    [LABELS.workspace]: workspace.name,
    [LABELS.repo]: workspace.repoRoot,
  }
  for (const [key, value] of Object.entries(workspace.labels ?? {}))
    labels[`${LABELS.userLabel}${key}`] = value
  return labels
}
