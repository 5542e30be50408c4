import type { CleanupResult, RepairAction, RepairReport } from '@nexus/core'

const REPAIR_MARKS: Record<RepairAction['outcome'], string> = {
  fixed: '✔',
  planned: '•',
  kept: '!',
  failed: '✖',
}

export function renderRepair(report: RepairReport): string {
  const lines = report.actions.flatMap((a) => [
    `${REPAIR_MARKS[a.outcome]} ${a.subject}: ${a.problem}`,
    `  ${a.outcome === 'planned' ? 'would' : '→'} ${a.action}`,
    ...(a.next && a.outcome !== 'fixed' ? [`  next: ${a.next}`] : []),
  ])
  const count = (outcome: RepairAction['outcome']) =>
    report.actions.filter((a) => a.outcome === outcome).length
  const checked = `${report.checked.length} workspace${report.checked.length === 1 ? '' : 's'} checked`
  if (report.actions.length === 0) lines.push(`Nothing to repair (${checked}).`)
  else if (report.dryRun)
    lines.push('', `Dry run: ${count('planned')} problem(s) would be repaired; nothing was changed.`)
  else {
    const left = count('kept') + count('failed')
    lines.push(
      '',
      left === 0
        ? `Repaired ${count('fixed')} problem(s) (${checked}); everything is healthy.`
        : `Repaired ${count('fixed')} problem(s); ${left} left for you (see "next" above).`,
    )
  }
  return lines.join('\n')
}

const CLEANUP_MARKS: Record<CleanupResult['items'][number]['outcome'], string> = {
  planned: '•',
  removed: '✔',
  kept: '!',
  failed: '✖',
}

export function renderCleanup(result: CleanupResult, unconfirmed = false): string {
  const lines = result.items.map(
    (item) =>
      `${CLEANUP_MARKS[item.outcome]} ${item.backend ? `${item.backend} ` : ''}${item.what} ${item.name}: ${item.reason}${item.note ? ` (${item.note})` : ''}`,
  )
  for (const skipped of result.skipped) lines.push(`- skipped ${skipped}`)
  if (result.items.length === 0) lines.push('Nothing to clean up.')
  else if (result.dryRun)
    lines.push(
      '',
      unconfirmed
        ? `Nothing removed: rerun with --yes to remove these ${result.items.length}.`
        : `Dry run: ${result.items.length} leftover(s) would be removed.`,
    )
  else {
    const removed = result.items.filter((i) => i.outcome === 'removed').length
    lines.push('', `Removed ${removed} of ${result.items.length} leftover(s).`)
  }
  return lines.join('\n')
}
