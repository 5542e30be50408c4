import { describeError, isNexusError } from '../errors/index.js'
import type { RepairAction, RepairContext } from './types.js'

export interface Finding {
  subject: string
  problem: string
  action: string
}

/**
 * Records a finding and, unless this is a dry run, does something about it. `fix` may return a sentence that
 * replaces the planned action (it knows better what it did). Returns whether the fix ran and succeeded, so a caller
 * can skip the steps that depend on it.
 */
export async function act(
  ctx: RepairContext,
  finding: Finding,
  fix: () => Promise<string | void>,
): Promise<boolean> {
  if (ctx.dryRun) {
    ctx.actions.push({ ...finding, outcome: 'planned' })
    return false
  }
  try {
    const done = await fix()
    ctx.actions.push({ ...finding, action: done ?? finding.action, outcome: 'fixed' })
    return true
  } catch (error) {
    ctx.actions.push(failure(finding, error))
    return false
  }
}

export function failure(finding: Finding, error: unknown): RepairAction {
  const next = isNexusError(error) ? error.suggestion : undefined
  return {
    ...finding,
    action: `${finding.action} — failed: ${describeError(error)}`,
    outcome: 'failed',
    code: isNexusError(error) ? error.code : 'INTERNAL',
    ...(next ? { next } : {}),
  }
}

/** Something repair leaves alone on purpose, for the user to decide. */
export function keep(ctx: RepairContext, finding: Finding, code: string, next: string): void {
  ctx.actions.push({ ...finding, outcome: 'kept', code, next })
}
