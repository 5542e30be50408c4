import { runProgram } from '../util/exec-file.js'
import type { DoctorCheck } from './types.js'

export const MINIMUM_NODE_VERSION = '22.12.0'

/** Compares dotted numeric versions (a leading `v` is ignored): negative, zero or positive like a sort comparator. */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string): number[] =>
    version
      .replace(/^v/, '')
      .split('.')
      .map((part) => Number.parseInt(part, 10) || 0)
  const left = parts(a)
  const right = parts(b)
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0)
    if (difference !== 0) return difference
  }
  return 0
}

export function checkNode(version: string): DoctorCheck {
  if (compareVersions(version, MINIMUM_NODE_VERSION) >= 0)
    return { id: 'node', status: 'ok', message: `Node ${version.replace(/^v/, '')}` }
  return {
    id: 'node',
    status: 'fail',
    message: `Node ${version.replace(/^v/, '')} is older than the ${MINIMUM_NODE_VERSION} nexus needs.`,
    fix: `Install Node ${MINIMUM_NODE_VERSION} or newer (e.g. \`nvm install 22\`).`,
  }
}

export async function checkGit(env: Record<string, string | undefined>): Promise<DoctorCheck> {
  const fix = 'Install git 2.20 or newer and make sure it is on your PATH.'
  try {
    const result = await runProgram('git', ['--version'], { env, timeoutMs: 10_000 })
    if (result.exitCode === 0) return { id: 'git', status: 'ok', message: result.stdout.trim() }
    return { id: 'git', status: 'fail', message: `git --version exited ${result.exitCode}.`, fix }
  } catch (error) {
    return { id: 'git', status: 'fail', message: `git could not run: ${(error as Error).message}`, fix }
  }
}
