import { readFile, stat } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { Document, isMap, isSeq, parse, parseDocument } from 'yaml'
import { NexusError, isNexusError } from '../errors/index.js'
import { withLock } from '../state/lock.js'
import { writeFileAtomic } from '../util/atomic-file.js'
import {
  configProblemError,
  describeSource,
  errnoCode,
  isPermissionError,
  permissionDeniedError,
  type ConfigSource,
} from './config-errors.js'
import { TOP_LEVEL_KEYS } from './defaults.js'
import { parseKeyPath, unknownKeyPathError } from './key-paths.js'
import { migrateDocumentToV2, migrateToV2 } from './migrate.js'
import type { ConfigLocations, WritableConfigScope } from './types.js'
import { validateLayer } from './validate.js'
import { documentData, parseConfigDocument } from './yaml-text.js'

/**
 * Sets one key in one config file. The value is parsed as YAML (`true`, `3`, `"3"`, `[a, b]`); text that is not
 * valid YAML is taken as a plain string. The whole resulting file is validated before anything is written, so an
 * invalid value leaves the file untouched. Comments and layout survive wherever the yaml Document API keeps them.
 */
export async function setConfigValue(
  locations: ConfigLocations,
  scope: WritableConfigScope,
  keyPath: string,
  rawValue: string,
): Promise<{ file: string }> {
  const segments = parseKeyPath(keyPath)
  const source = scopeSource(locations, scope)
  await editFile(
    source,
    (doc) => {
      migrateDocumentToV2(doc)
      assertNoListOnPath(doc, segments, keyPath, source)
      setIn(doc, segments, parseRawValue(rawValue), keyPath, source)
      validateDocument(doc, source, keyPath)
      return true
    },
    true,
  )
  return { file: source.file }
}

/** Removes one key from one config file, and any mapping the removal leaves empty. A missing key is not an error. */
export async function unsetConfigValue(
  locations: ConfigLocations,
  scope: WritableConfigScope,
  keyPath: string,
): Promise<{ file: string; removed: boolean }> {
  // An unknown top-level key may still be in the file (a typo, a version 1 leftover): unsetting it must work.
  const segments = parseKeyPath(keyPath, { allowUnknownTopLevel: true })
  const source = scopeSource(locations, scope)
  const removed = await editFile(
    source,
    (doc) => {
      migrateDocumentToV2(doc)
      if (!doc.hasIn(segments)) {
        if (!TOP_LEVEL_KEYS.includes(segments[0] ?? '')) throw unknownKeyPathError(keyPath)
        return false
      }
      doc.deleteIn(segments)
      removeEmptyParents(doc, segments)
      validateDocument(doc, source, undefined)
      return true
    },
    false,
  )
  return { file: source.file, removed }
}

type FileSource = ConfigSource & { file: string; scope: WritableConfigScope }

function scopeSource(locations: ConfigLocations, scope: WritableConfigScope): FileSource {
  const file =
    scope === 'system'
      ? locations.systemFile
      : scope === 'user'
        ? locations.userFile
        : locations.projectFileTarget
  return { scope, file }
}

/**
 * Read, edit, validate, write — under a lock next to the file, so that two concurrent `nexus config set` calls
 * cannot lose one another's change. `edit` returns whether the document changed; an unchanged file is not
 * rewritten. Without `create`, a missing file is edited as an empty one (for the checks) and never written, and
 * its directory is not created for the lock either.
 */
async function editFile(
  source: FileSource,
  edit: (doc: Document) => boolean,
  create: boolean,
): Promise<boolean> {
  try {
    if (!create && (await readExisting(source)) === null) {
      edit(new Document())
      return false
    }
    return await withLock(
      dirname(source.file),
      basename(source.file),
      async () => {
        const text = await readExisting(source)
        const doc = text === null ? parseDocument('version: "2"\n') : parseConfigDocument(text, source)
        if (!edit(doc)) return false
        await writeFileAtomic(source.file, doc.toString(), await fileMode(source))
        return true
      },
      { what: `The config file ${source.file}` },
    )
  } catch (error) {
    throw asConfigWriteError(error, source)
  }
}

function asConfigWriteError(error: unknown, source: FileSource): unknown {
  // withLock reports any failure to take the lock as "busy"; a lock that cannot be created is a permission problem.
  const lockCause = error instanceof NexusError && error.code === 'WORKSPACE_BUSY' ? error.cause : undefined
  if (isPermissionError(lockCause)) return permissionDeniedError(source, 'write', lockCause)
  if (isNexusError(error)) return error
  if (isPermissionError(error)) return permissionDeniedError(source, 'write', error)
  const code = errnoCode(error)
  if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST') {
    return new NexusError(
      'CONFIG_INVALID',
      `Cannot write the config file ${source.file}: ${code} on its path.`,
      {
        suggestion: `Make sure ${dirname(source.file)} is a directory (check NEXUS_HOME and NEXUS_SYSTEM_CONFIG).`,
        cause: error,
        details: { file: source.file, scope: source.scope, keyPath: '' },
      },
    )
  }
  return error
}

async function readExisting(source: FileSource): Promise<string | null> {
  try {
    return await readFile(source.file, 'utf8')
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null
    if (isPermissionError(error)) throw permissionDeniedError(source, 'read', error)
    throw error
  }
}

// Keep an existing file's mode; a new user file may come to hold API keys, so only its owner reads it.
async function fileMode(source: FileSource): Promise<number> {
  try {
    return (await stat(source.file)).mode & 0o777
  } catch {
    return source.scope === 'user' ? 0o600 : 0o644
  }
}

function parseRawValue(rawValue: string): unknown {
  if (rawValue.trim() === '') return rawValue
  try {
    return parse(rawValue, { logLevel: 'silent' })
  } catch {
    return rawValue
  }
}

function assertNoListOnPath(
  doc: Document,
  segments: readonly string[],
  keyPath: string,
  source: FileSource,
): void {
  for (let length = 1; length < segments.length; length += 1) {
    if (isSeq(doc.getIn(segments.slice(0, length), true))) {
      const listPath = segments.slice(0, length).join('.')
      throw new NexusError(
        'CONFIG_INVALID',
        `Cannot set ${keyPath}: ${listPath} in ${source.file} is a list.`,
        {
          suggestion: `Set the whole list instead, for example \`nexus config set ${listPath} '[a, b]'\`.`,
          details: { file: source.file, scope: source.scope, keyPath },
        },
      )
    }
  }
}

function setIn(
  doc: Document,
  segments: readonly string[],
  value: unknown,
  keyPath: string,
  source: FileSource,
): void {
  try {
    doc.setIn(segments, value)
  } catch {
    // yaml refuses to descend into a scalar: `defaults: docker` cannot take `defaults.backend`.
    const parent = segments.slice(0, -1).join('.')
    throw configProblemError(source, [{ keyPath: parent, expected: 'expected a mapping' }])
  }
}

function removeEmptyParents(doc: Document, segments: readonly string[]): void {
  for (let length = segments.length - 1; length >= 1; length -= 1) {
    const parentPath = segments.slice(0, length)
    const parent = doc.getIn(parentPath, true)
    if (!isMap(parent) || parent.items.length > 0) return
    doc.deleteIn(parentPath)
  }
}

function validateDocument(doc: Document, source: FileSource, settingKeyPath: string | undefined): void {
  const data = migrateToV2(documentData(doc, source), source)
  validateLayer(data, source, {
    tolerateReferences: true,
    suggestion: (problemKeyPath) =>
      settingKeyPath !== undefined && isWithin(problemKeyPath, settingKeyPath)
        ? `Run \`nexus config set ${settingKeyPath} <value>\` again with a valid value; ${describeSource(source)} was not changed.`
        : undefined,
  })
}

function isWithin(keyPath: string, ancestorOrSelf: string): boolean {
  return (
    keyPath === ancestorOrSelf ||
    keyPath.startsWith(`${ancestorOrSelf}.`) ||
    ancestorOrSelf.startsWith(`${keyPath}.`)
  )
}
