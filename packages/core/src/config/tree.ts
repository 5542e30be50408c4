/** Plain-data helpers for config trees: what YAML, flags and env variables produce. */

export type ConfigTree = Record<string, unknown>

export function isPlainObject(value: unknown): value is ConfigTree {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/**
 * Deep merge for objects, replace for everything else (arrays included): a higher layer's list is the list.
 * Built with Object.fromEntries so that a `__proto__` key from a file stays an ordinary key.
 */
export function deepMerge(lower: ConfigTree, higher: ConfigTree): ConfigTree {
  const merged = new Map<string, unknown>(Object.entries(lower))
  for (const [key, value] of Object.entries(higher)) {
    if (value === undefined) continue
    const existing = merged.get(key)
    merged.set(key, isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value)
  }
  return Object.fromEntries(merged)
}

/** Leaf key paths and values: objects are walked, arrays and scalars are leaves, empty objects have none. */
export function flattenLeaves(tree: ConfigTree, prefix = ''): Array<[string, unknown]> {
  const leaves: Array<[string, unknown]> = []
  for (const [key, value] of Object.entries(tree)) {
    if (value === undefined) continue
    const path = prefix === '' ? key : `${prefix}.${key}`
    if (isPlainObject(value)) leaves.push(...flattenLeaves(value, path))
    else leaves.push([path, value])
  }
  return leaves
}

export function splitKeyPath(keyPath: string): string[] {
  return keyPath.split('.')
}

export function getAtPath(tree: unknown, segments: readonly string[]): unknown {
  let current: unknown = tree
  for (const segment of segments) {
    if (!isPlainObject(current) || !Object.hasOwn(current, segment)) return undefined
    current = current[segment]
  }
  return current
}

/** A new tree holding `value` at `segments`, for building one-key layers from env variables. */
export function treeWithValue(segments: readonly string[], value: unknown): ConfigTree {
  const [head, ...rest] = segments
  if (head === undefined) throw new Error('treeWithValue needs at least one key')
  return Object.fromEntries([[head, rest.length === 0 ? value : treeWithValue(rest, value)]])
}

/** Drops undefined values, as produced by CLI flags that were not given. */
export function withoutUndefined(tree: ConfigTree): ConfigTree {
  const entries: Array<[string, unknown]> = []
  for (const [key, value] of Object.entries(tree)) {
    if (value === undefined) continue
    entries.push([key, isPlainObject(value) ? withoutUndefined(value) : value])
  }
  return Object.fromEntries(entries)
}

/** Leaves as in flattenLeaves, each with its key segments (a key may itself contain a dot). */
export function leavesWithSegments(
  tree: ConfigTree,
  prefix: readonly string[] = [],
): Array<[string[], unknown]> {
  const leaves: Array<[string[], unknown]> = []
  for (const [key, value] of Object.entries(tree)) {
    if (value === undefined) continue
    const segments = [...prefix, key]
    if (isPlainObject(value)) leaves.push(...leavesWithSegments(value, segments))
    else leaves.push([segments, value])
  }
  return leaves
}

/** Replaces the value at an existing key; throws when a parent is missing rather than inventing structure. */
export function replaceAtPath(tree: ConfigTree, segments: readonly string[], value: unknown): void {
  const parent = getAtPath(tree, segments.slice(0, -1))
  const last = segments.at(-1)
  if (!isPlainObject(parent) || last === undefined || !Object.hasOwn(parent, last)) {
    throw new Error(`no config value at ${segments.join('.')}`)
  }
  // An own key (checked above), so even `__proto__` is set as a value here, never as the prototype.
  parent[last] = value
}
