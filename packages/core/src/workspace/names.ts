import { NexusError } from '../errors/index.js'

/** 1–64 characters; a single letter or digit is a name too (`nexus workspace create a`). */
export const WORKSPACE_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/
export const RESERVED_NAMES = ['current', 'all', 'list', 'default', 'none'] as const

/** The nearest valid name: lower case, runs of anything else become one dash, trimmed to 64 characters. */
export function suggestName(input: string): string {
  let name = input
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '')
  if (name.length === 0) name = 'workspace'
  if ((RESERVED_NAMES as readonly string[]).includes(name)) name = `${name}-1`
  return name
}

/** Checks a name against the workspace rules; `kind` says what is being named, for the message. */
export function validateName(name: string, kind: 'workspace' | 'snapshot'): void {
  if ((RESERVED_NAMES as readonly string[]).includes(name)) {
    throw new NexusError('RESERVED_NAME', `"${name}" is reserved and cannot name a ${kind}.`, {
      suggestion: `Choose another name, e.g. \`${name}-1\`.`,
      details: { name, reserved: [...RESERVED_NAMES] },
    })
  }
  if (!WORKSPACE_NAME_PATTERN.test(name)) {
    const suggested = suggestName(name)
    throw new NexusError(
      'INVALID_NAME',
      `"${name}" is not a valid ${kind} name: use 1–64 lower-case letters, digits and dashes, starting and ending with a letter or digit.`,
      { suggestion: `Try \`${suggested}\`.`, details: { name, suggested } },
    )
  }
}

export function validateWorkspaceName(name: string): void {
  validateName(name, 'workspace')
}
