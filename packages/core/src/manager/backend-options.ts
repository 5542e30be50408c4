import type { JsonObject } from '../workspace/index.js'

/**
 * The backend options of a create (`--image`, `--region`, `--from`, …) as the workspace record keeps them, so that
 * `repair` recreates a lost container or sandbox the way it was made rather than from today's config. Credentials a
 * user put inside a git URL (`https://user:token@host/repo`) are dropped: state files never hold secrets, and a
 * recreated clone authenticates through the agent or the backend's own credentials instead.
 */
export function recordableBackendOptions(options: JsonObject): JsonObject {
  const recorded: JsonObject = {}
  for (const [key, value] of Object.entries(options)) {
    recorded[key] = typeof value === 'string' ? withoutUrlCredentials(value) : value
  }
  return recorded
}

/**
 * Over http(s) the whole user part goes (a token often stands alone as the user); over other schemes only a
 * `:password`, since `ssh://git@host` needs its user. Anything that is not such a URL is returned unchanged.
 */
export function withoutUrlCredentials(value: string): string {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/@\s]*)@/i.exec(value)
  if (!match) return value
  const [whole, scheme = '', userInfo = ''] = match
  const rest = value.slice(whole.length)
  if (/^https?$/i.test(scheme)) return `${scheme}://${rest}`
  const user = userInfo.split(':')[0] ?? ''
  return `${scheme}://${user ? `${user}@` : ''}${rest}`
}
