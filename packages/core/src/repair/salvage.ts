import { readFile } from 'node:fs/promises'
import type { PortMapping } from '../workspace/index.js'

/** What can still be read from a torn workspace record, field by field. */
export interface Salvaged {
  name?: string
  backend?: string
  repoRoot?: string
  portBlockStart?: number
  ports?: PortMapping[]
  createdAt?: string
}

function stringField(text: string, key: string): string | undefined {
  // The record is written with the workspace's own fields first, so the first match is the workspace's (port
  // mappings further down have a "name" too).
  const match = new RegExp(`"${key}":\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(text)
  if (!match?.[1]) return undefined
  try {
    return JSON.parse(`"${match[1]}"`) as string
  } catch {
    return undefined
  }
}

/** The `[...]` after `"key":`, when it is complete. */
function arrayField(text: string, key: string): unknown[] | undefined {
  const start = text.search(new RegExp(`"${key}":\\s*\\[`))
  if (start < 0) return undefined
  const open = text.indexOf('[', start)
  let depth = 0
  for (let i = open; i < text.length; i++) {
    if (text[i] === '[') depth++
    else if (text[i] === ']' && --depth === 0) {
      try {
        const parsed: unknown = JSON.parse(text.slice(open, i + 1))
        return Array.isArray(parsed) ? parsed : undefined
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

function isPortMapping(value: unknown): value is PortMapping {
  const p = value as Partial<PortMapping> | null
  return typeof p?.name === 'string' && typeof p.containerPort === 'number' && typeof p.hostPort === 'number'
}

export function salvage(text: string): Salvaged {
  const block = /"portBlockStart":\s*(\d+)/.exec(text)?.[1]
  const ports = arrayField(text, 'ports')
  const fields: Salvaged = {
    name: stringField(text, 'name'),
    backend: stringField(text, 'backend'),
    repoRoot: stringField(text, 'repoRoot'),
    portBlockStart: block === undefined ? undefined : Number(block),
    ports: ports?.every(isPortMapping) ? ports : undefined,
    createdAt: stringField(text, 'createdAt'),
  }
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Salvaged
}

export async function salvageFile(file: string): Promise<Salvaged> {
  return salvage(await readFile(file, 'utf8').catch(() => ''))
}

/**
 * The workspace name and backend the event log remembers for each workspace id (from its create, or any later
 * event). A workspace whose last event is a successful destroy is left out: it is gone on purpose, and whatever
 * its backend still holds is for cleanup, not to be brought back.
 */
export async function fromEvents(
  eventsFile: string,
): Promise<Map<string, { name: string; backend?: string }>> {
  const text = await readFile(eventsFile, 'utf8').catch(() => '')
  const known = new Map<string, { name: string; backend?: string }>()
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      const event = JSON.parse(line) as {
        workspaceId?: unknown
        workspace?: unknown
        backend?: unknown
        operation?: unknown
        result?: unknown
      }
      if (
        typeof event.workspaceId !== 'string' ||
        typeof event.workspace !== 'string' ||
        event.workspace === ''
      )
        continue
      if (event.operation === 'destroy' && event.result === 'ok') {
        known.delete(event.workspaceId)
        continue
      }
      known.set(event.workspaceId, {
        name: event.workspace,
        ...(typeof event.backend === 'string' ? { backend: event.backend } : {}),
      })
    } catch {
      // A torn last line from a killed writer says nothing.
    }
  }
  return known
}
