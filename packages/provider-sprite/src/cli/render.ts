import { renderTable, type JsonValue } from '@nexus/core'

type Row = Record<string, JsonValue>

function rows(result: JsonValue): Row[] {
  return Array.isArray(result) ? (result as Row[]) : []
}

function field(result: JsonValue, key: string): string {
  const value = (result as Row | null)?.[key]
  return value === null || value === undefined ? '' : String(value)
}

export function renderCheckpoint(verb: string, workspace: string): (result: JsonValue) => string {
  return (result) => {
    const comment = field(result, 'comment')
    return `${verb} checkpoint ${field(result, 'id')} of ${workspace}${comment ? ` (${comment})` : ''}.`
  }
}

export function renderCheckpoints(workspace: string): (result: JsonValue) => string {
  return (result) => {
    const list = rows(result)
    if (list.length === 0) {
      return `Workspace ${workspace} has no checkpoints. Make one with \`nexus workspace provider sprite checkpoint create ${workspace}\`.`
    }
    return renderTable(
      ['ID', 'CREATED', 'AUTO', 'COMMENT'],
      list.map((row) => [
        field(row, 'id'),
        field(row, 'createdAt'),
        row.auto === true ? 'yes' : '',
        field(row, 'comment'),
      ]),
    )
  }
}

export function renderUrl(result: JsonValue): string {
  const url = field(result, 'url')
  return url
    ? `${url}  (auth: ${field(result, 'auth')})`
    : `The sprite has no URL yet (auth: ${field(result, 'auth')}).`
}

export function renderTransfer(result: JsonValue): string {
  return `Copied ${field(result, 'bytes')} bytes: ${field(result, 'local')} ↔ ${field(result, 'remote')}.`
}

export function renderService(result: JsonValue): string {
  const port = field(result, 'httpPort')
  return `Service ${field(result, 'name')} is ${field(result, 'status')}${port ? ` (http port ${port})` : ''}.`
}

export function renderServices(workspace: string): (result: JsonValue) => string {
  return (result) => {
    const list = rows(result)
    if (list.length === 0) {
      return `Workspace ${workspace} has no services. Add one with \`nexus workspace provider sprite service create ${workspace} --service web --command '…'\`.`
    }
    return renderTable(
      ['SERVICE', 'STATUS', 'PORT', 'COMMAND'],
      list.map((row) => [
        field(row, 'name'),
        field(row, 'status'),
        field(row, 'httpPort'),
        field(row, 'command'),
      ]),
    )
  }
}

export function renderLogs(result: JsonValue): string {
  return field(result, 'logs').replace(/\n$/, '')
}
