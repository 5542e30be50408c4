import { RESOURCE_CLASSES, type ResourceClass, type Workspace } from '@nexus/core'

/** The workspace's memory limit for messages: `64 MiB`, `2 GiB`. */
export function memoryLimitText(workspace: Pick<Workspace, 'resources'>): string {
  const gib = workspace.resources.memory
  if (gib >= 1) return `${Number(gib.toFixed(2))} GiB`
  return `${Math.round(gib * 1024)} MiB`
}

/** The smallest resource class with more memory than the workspace has; none when it is already the biggest. */
export function biggerClass(memoryGiB: number): ResourceClass | undefined {
  const classes = Object.entries(RESOURCE_CLASSES) as Array<[ResourceClass, { memory: number }]>
  return classes.find(([, size]) => size.memory > memoryGiB)?.[0]
}

/**
 * What to do about a workspace that ran out of memory. The limit is fixed when the container is made, so the way to
 * more memory is a workspace made with a bigger class.
 */
export function outOfMemorySuggestion(workspace: Pick<Workspace, 'name' | 'resources'>): string {
  const bigger = biggerClass(workspace.resources.memory)
  const doubled = Math.max(1, Math.ceil(workspace.resources.memory * 2))
  const byClass = bigger
    ? `a bigger class, \`--resources ${bigger}\` (${RESOURCE_CLASSES[bigger].memory} GiB), or `
    : ''
  return `Give "${workspace.name}" more memory: create it with ${byClass}\`--memory ${doubled}\` (GiB) — or make what runs in it use less.`
}

/** One sentence for a container the kernel killed for going over its limit. */
export function outOfMemoryMessage(workspace: Pick<Workspace, 'name' | 'resources'>, what: string): string {
  return `${what} ran out of memory (limit ${memoryLimitText(workspace)}) and was killed.`
}
