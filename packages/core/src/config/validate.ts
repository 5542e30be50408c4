import type { z } from 'zod'
import { configProblemError, type ConfigSource } from './config-errors.js'
import { hasReference } from './interpolate.js'
import { problemsFromIssues } from './issues.js'
import { nexusConfigSchema, type NexusConfig } from './schema.js'
import { getAtPath, type ConfigTree } from './tree.js'

export interface ValidateOptions {
  /**
   * Accept a string holding an environment reference wherever the schema wants something else: when writing a
   * file nexus cannot know what `${RESOURCES}` will resolve to on the next load, which validates it for real.
   */
  tolerateReferences?: boolean
  suggestion?: (firstProblemKeyPath: string) => string | undefined
}

/**
 * Checks one layer (a file, the flags, one env variable) on its own, so that an error names where it came from.
 * Layers are partial: the schema's defaults fill the gaps, and what it returns is thrown away — only the layer's
 * own keys are merged.
 */
export function validateLayer(data: ConfigTree, source: ConfigSource, options: ValidateOptions = {}): void {
  const result = nexusConfigSchema.safeParse(data, { reportInput: true })
  if (result.success) return
  const issues = options.tolerateReferences
    ? result.error.issues.filter((issue) => !isReferenceValue(data, issue))
    : result.error.issues
  if (issues.length === 0) return
  const problems = problemsFromIssues(issues)
  const suggestion = options.suggestion?.(problems[0]?.keyPath ?? '')
  throw configProblemError(source, problems, suggestion === undefined ? {} : { suggestion })
}

function isReferenceValue(data: ConfigTree, issue: z.core.$ZodIssue): boolean {
  const value = getAtPath(data, issue.path.map(String))
  return typeof value === 'string' && hasReference(value)
}

/** The merged layers, fully defaulted. Each layer was valid on its own, so this only fails on a bug. */
export function parseMerged(merged: ConfigTree, blame: (keyPath: string) => ConfigSource): NexusConfig {
  const result = nexusConfigSchema.safeParse(merged, { reportInput: true })
  if (result.success) return result.data
  const problems = problemsFromIssues(result.error.issues)
  throw configProblemError(blame(problems[0]?.keyPath ?? ''), problems)
}
