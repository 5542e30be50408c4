import { stat } from 'node:fs/promises'
import { PORT_BLOCK_SIZE, PORT_RANGES, type PortRange } from '../ports/index.js'
import { sshPaths } from '../ssh/index.js'
import type { UnreadableState } from '../state/index.js'
import type { Workspace } from '../workspace/index.js'
import type { DoctorCheck } from './types.js'

/** ssh refuses a private key that others can read; nexus's own key is no exception. */
export async function checkKeyMode(nexusHome: string): Promise<DoctorCheck> {
  const { privateKey } = sshPaths(nexusHome)
  let mode: number
  try {
    mode = (await stat(privateKey)).mode & 0o777
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { id: 'keys', status: 'ok', message: 'The nexus SSH key is not generated yet.' }
    throw error
  }
  const octal = mode.toString(8).padStart(4, '0')
  if ((mode & 0o077) === 0)
    return { id: 'keys', status: 'ok', message: `The nexus SSH key ${privateKey} has mode ${octal}.` }
  return {
    id: 'keys',
    status: 'fail',
    message: `The nexus SSH key ${privateKey} has mode ${octal}: others can read it, and ssh refuses it.`,
    fix: `chmod 600 ${privateKey}`,
  }
}

export function checkStateFiles(workspaces: Workspace[], unreadable: UnreadableState[]): DoctorCheck {
  if (unreadable.length === 0)
    return {
      id: 'state',
      status: 'ok',
      message: `${workspaces.length} workspace record${workspaces.length === 1 ? '' : 's'}, all readable.`,
    }
  const files = unreadable.map(({ file, reason }) => `${file} (${reason})`).join('; ')
  return {
    id: 'state',
    status: 'fail',
    message: `Unreadable workspace records, which nexus ignores: ${files}.`,
    fix: 'Run `nexus workspace repair --all`: it rebuilds each record from what exists, or moves it aside as `.corrupt-<time>`.',
  }
}

export interface RangeUsage {
  name: string
  used: number
  total: number
}

/** Above this share of a range's blocks in use, new workspaces are close to spilling into the next range. */
export const PORT_USAGE_WARN_RATIO = 0.8

export function portUsage(
  workspaces: Workspace[],
  ranges: Record<string, PortRange> = PORT_RANGES,
): RangeUsage[] {
  return Object.entries(ranges).map(([name, range]) => ({
    name,
    used: workspaces.filter((w) => w.portBlockStart >= range.start && w.portBlockStart <= range.end).length,
    total: Math.floor((range.end - range.start + 1) / PORT_BLOCK_SIZE),
  }))
}

export function checkPortUsage(usage: RangeUsage[]): DoctorCheck {
  const message = usage
    .map(({ name, used, total }) => `${name}: ${used} of ${total} blocks in use`)
    .join(', ')
  const crowded = usage.filter(({ used, total }) => used > total * PORT_USAGE_WARN_RATIO)
  if (crowded.length === 0) return { id: 'ports', status: 'ok', message: `${message}.` }
  return {
    id: 'ports',
    status: 'warn',
    message: `Port ranges nearly full (${crowded.map((r) => r.name).join(', ')}): ${message}.`,
    fix: 'Destroy workspaces you no longer need (`nexus workspace destroy <name>`).',
  }
}
