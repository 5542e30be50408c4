import { ENV_FILE } from './naming.js'

/** POSIX single-quoting: the one form in which every byte of an argument arrives unchanged. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`
}

export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ')
}

/** `$HOME` first: the env file is written to the sprite user's home, which is `/home/sprite` on real sprites. */
const SOURCE_ENV = `for f in "$HOME/.nexus-env" ${ENV_FILE}; do if [ -f "$f" ]; then . "$f"; break; fi; done; `

/**
 * The script `bash -lc` runs for a command: the workspace environment, the call's own variables on top, then the
 * argv exec'd verbatim. The SDK's `exec` splits on whitespace and runs no shell, so argv is quoted here instead.
 */
export function commandScript(argv: readonly string[], env: Record<string, string> = {}): string {
  const exports = Object.entries(env).map(([key, value]) => `export ${key}=${shellQuote(value)}; `)
  return `${SOURCE_ENV}${exports.join('')}exec ${shellJoin(argv)}`
}

/** The env file's content: one `export` per variable, quoted. */
export function envFileContent(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([key, value]) => `export ${key}=${shellQuote(value)}\n`)
    .join('')
}

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
