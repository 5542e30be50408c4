import { isMap, isScalar, parseAllDocuments, parseDocument, type Document, type YAMLError } from 'yaml'
import { malformedFileError, type ConfigSource } from './config-errors.js'
import { isPlainObject, type ConfigTree } from './tree.js'

/**
 * Parses a config file's text into a Document, keeping comments for `nexus config set|unset`. A syntax error
 * becomes CONFIG_INVALID naming the file and line. Only the first line of yaml's message is kept: the rest is a
 * snippet of the file, which may hold a secret.
 */
export function parseConfigDocument(text: string, source: ConfigSource): Document {
  const options = { prettyErrors: true, uniqueKeys: true, logLevel: 'silent' } as const
  // parseDocument stops at a second `---` document without a word under logLevel silent: its keys would be
  // ignored, so a file holding several documents is refused instead.
  const [doc = parseDocument('', options), ...others] = parseAllDocuments(text, options)
  const [error] = doc.errors
  if (error !== undefined) throw yamlSyntaxError(error, source)
  const extra = others.find((other) => !isEmptyDocument(other) || other.errors.length > 0)
  if (extra !== undefined) {
    const line = text.slice(0, extra.range[0]).split('\n').length
    throw malformedFileError(source, `it holds a second YAML document (from line ${line}); nexus reads one`)
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw malformedFileError(source, 'expected a mapping of config keys at the top level')
  }
  return doc
}

// A trailing `---` opens a document with nothing in it: an empty plain scalar, harmless.
function isEmptyDocument(doc: Document): boolean {
  const contents = doc.contents
  return contents === null || (isScalar(contents) && contents.value === null && contents.source === '')
}

/** The plain data of a config file; an empty file (or one holding only comments) is an empty mapping. */
export function parseConfigText(text: string, source: ConfigSource): ConfigTree {
  const doc = parseConfigDocument(text, source)
  return documentData(doc, source)
}

export function documentData(doc: Document, source: ConfigSource): ConfigTree {
  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: 100 })
  } catch (error) {
    // yaml refuses documents whose aliases expand exponentially ("billion laughs").
    throw malformedFileError(
      source,
      error instanceof Error ? firstLine(error.message) : 'it could not be read',
    )
  }
  if (data === null || data === undefined) return {}
  if (!isPlainObject(data))
    throw malformedFileError(source, 'expected a mapping of config keys at the top level')
  return data
}

function yamlSyntaxError(error: YAMLError, source: ConfigSource): Error {
  const position = error.linePos?.[0]
  const reason = firstLine(error.message).replace(/ at line \d+, column \d+:?$/, '')
  return malformedFileError(
    source,
    reason,
    position ? { line: position.line, column: position.col } : undefined,
  )
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}
