import type { ParamSpec, ProviderSummary } from '@nexus/core'
import type { ProviderDetails } from '../provider-details.js'
import { renderFields, renderTable } from './table.js'

export function renderProviderList(providers: readonly ProviderSummary[]): string {
  if (providers.length === 0)
    return 'No providers installed. Install one with `nexus plugins install <package>`.'
  return renderTable(
    ['NAME', 'VERSION', 'PLUGIN', 'TYPE', 'CAPABILITIES'],
    providers.map((p) => [
      p.name,
      p.version,
      p.plugin,
      p.type,
      p.capabilities.join(',') || '(failed to load)',
    ]),
  )
}

export function renderProviderInfo(details: ProviderDetails): string {
  const lines = [
    `${details.name} — ${details.summary}`,
    renderFields([
      ['plugin', `${details.plugin} ${details.version} (${details.type})`],
      ['capabilities', details.capabilities.join(', ') || 'none'],
    ]),
  ]
  if (details.operations.length === 0) {
    lines.push(
      '',
      'No escape hatches: everything this backend does goes through the common workspace commands.',
    )
    return lines.join('\n')
  }
  lines.push('', 'Escape hatches:')
  for (const operation of details.operations) {
    const params = Object.entries(operation.params)
    const width = Math.max(0, ...params.map(([name]) => name.length + 2))
    const usage = params.map(([name, spec]) =>
      spec.required ? `--${name} <${spec.type}>` : `[--${name} <${spec.type}>]`,
    )
    lines.push(
      `  ${operation.id}${operation.available ? '' : ` (unavailable: needs ${operation.capability})`} — ${operation.summary}`,
      `    ${[operation.command, ...usage].join(' ')}`,
      ...params.map(([name, spec]) => `      ${`--${name}`.padEnd(width)}  ${describeParam(spec)}`),
    )
  }
  return lines.join('\n')
}

function describeParam(spec: ParamSpec): string {
  const facts = [
    spec.required ? 'required' : undefined,
    spec.default !== undefined ? `default ${String(spec.default)}` : undefined,
    spec.options ? `one of ${spec.options.join(', ')}` : undefined,
  ].filter((fact) => fact !== undefined)
  return `${spec.description}${facts.length > 0 ? ` (${facts.join('; ')})` : ''}`
}
