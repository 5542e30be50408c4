/**
 * A module import done on first use, then shared. The config modules that import zod and yaml (~50 ms together)
 * and cosmiconfig are loaded this way: every nexus command loads config, and most have no config file at all.
 */
export function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined
  return () => (loaded ??= load())
}
