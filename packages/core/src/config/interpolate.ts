import { isPlainObject } from './tree.js'

type Env = Record<string, string | undefined>

// `${NAME}`, `${NAME:-fallback}`, and `$${` as an escape for a literal `${`.
const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g
// The whole-value form. Upper case only, so that an ordinary value such as `env:production` stays text.
const WHOLE_VALUE_REFERENCE = /^env:([A-Z_][A-Z0-9_]*)$/

/**
 * Resolves environment references in every string value (never in keys). An unset variable without a fallback
 * becomes the empty string, as in a shell: the result must not carry the raw reference into places that treat it
 * as the real value (a password field, a URL).
 */
export function resolveReferences(value: unknown, env: Env): unknown {
  if (typeof value === 'string') return resolveString(value, env)
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, env))
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveReferences(item, env)]))
  }
  return value
}

export function resolveString(text: string, env: Env): string {
  const whole = WHOLE_VALUE_REFERENCE.exec(text)
  if (whole?.[1] !== undefined) return env[whole[1]] ?? ''
  if (!text.includes('${')) return text
  return text.replace(
    REFERENCE,
    (match: string, escape: string, name: string, fallback: string | undefined) => {
      if (escape === '$') return match.slice(1)
      const resolved = env[name]
      // `:-` as in the shell: the fallback also covers a variable that is set but empty.
      if (fallback !== undefined && (resolved === undefined || resolved === '')) return fallback
      return resolved ?? ''
    },
  )
}

/** Whether a string is (or contains) an environment reference, whose final value is only known at load time. */
export function hasReference(text: string): boolean {
  if (WHOLE_VALUE_REFERENCE.test(text)) return true
  for (const match of text.matchAll(REFERENCE)) if (match[1] !== '$') return true
  return false
}
