import { NexusError } from '../errors/index.js'
import type { ConfigProblem } from './issues.js'
import type { ConfigOrigin } from './types.js'

/** Where a layer's data came from: a file, the CLI flags, or one environment variable. */
export type ConfigSource = ConfigOrigin

export function describeSource(source: ConfigSource): string {
  if (source.file !== undefined) return source.file
  if (source.envVar !== undefined) return `environment variable ${source.envVar}`
  if (source.scope === 'flags') return 'the command-line flags'
  return `the ${source.scope} config`
}

function fixSuggestion(source: ConfigSource, keyPath: string): string {
  if (source.envVar !== undefined) return `Set ${source.envVar} to a valid value, or unset it.`
  if (source.scope === 'flags') return 'Pass a valid value on the command line.'
  if (source.file !== undefined) {
    return `Fix ${source.file} or run \`nexus config unset ${keyPath} --scope ${source.scope}\`.`
  }
  return 'Report this as a bug in nexus: the built-in defaults should always be valid.'
}

/** A schema problem in one layer: names the file (or variable), the key path and what was expected. */
export function configProblemError(
  source: ConfigSource,
  problems: readonly ConfigProblem[],
  options: { suggestion?: string } = {},
): NexusError {
  const [first, ...rest] = problems
  const keyPath = first?.keyPath ?? ''
  const expected = first?.expected ?? 'is invalid'
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : ''
  const where = keyPath === '' ? '' : ` at ${keyPath}`
  return new NexusError(
    'CONFIG_INVALID',
    `Invalid config${where} in ${describeSource(source)}: ${expected}${more}.`,
    {
      suggestion: options.suggestion ?? fixSuggestion(source, keyPath),
      details: { ...sourceDetails(source), keyPath, problems: problems.map((problem) => ({ ...problem })) },
    },
  )
}

/** A file that is not YAML at all, or whose top level is not a mapping. */
export function malformedFileError(
  source: ConfigSource,
  reason: string,
  position?: { line: number; column: number },
): NexusError {
  const what = position
    ? `valid YAML at line ${position.line}, column ${position.column}`
    : 'a valid config file'
  return new NexusError(
    'CONFIG_INVALID',
    `Config file ${describeSource(source)} is not ${what}: ${reason}.`,
    {
      suggestion: position
        ? `Fix the YAML at line ${position.line} of ${describeSource(source)}.`
        : `Fix ${describeSource(source)} so that it holds a YAML mapping of config keys.`,
      details: {
        ...sourceDetails(source),
        keyPath: '',
        ...(position ? { line: position.line, column: position.column } : {}),
      },
    },
  )
}

function sourceDetails(source: ConfigSource): Record<string, unknown> {
  return {
    scope: source.scope,
    ...(source.file !== undefined ? { file: source.file } : {}),
    ...(source.envVar !== undefined ? { envVar: source.envVar } : {}),
  }
}

const PERMISSION_CODES = new Set(['EACCES', 'EPERM', 'EROFS'])

export function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}

export function isPermissionError(error: unknown): boolean {
  const code = errnoCode(error)
  return code !== undefined && PERMISSION_CODES.has(code)
}

export function permissionDeniedError(
  source: ConfigSource,
  action: 'read' | 'write',
  cause: unknown,
): NexusError {
  const file = describeSource(source)
  const suggestion =
    source.scope === 'system'
      ? action === 'write'
        ? 'Run the command with sudo, or set NEXUS_SYSTEM_CONFIG to a file you can write.'
        : `Ask an administrator to make ${file} readable, or set NEXUS_SYSTEM_CONFIG to another file.`
      : `Check the permissions of ${file} and its directory, or choose another scope with --scope.`
  return new NexusError(
    'PERMISSION_DENIED',
    `Permission denied: nexus cannot ${action} the config file ${file}.`,
    {
      suggestion,
      cause,
      details: sourceDetails(source),
    },
  )
}
