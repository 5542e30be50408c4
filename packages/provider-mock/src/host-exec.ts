import { spawn } from 'node:child_process'
import { constants } from 'node:os'
import type { ExecRequest, ExecResult } from '@nexus/core'

/** Exit statuses a shell would give, so `nexus workspace exec` behaves the same on every backend. */
const COMMAND_NOT_FOUND = 127
const COMMAND_NOT_RUNNABLE = 126

/**
 * Runs argv on the host, without a shell (so nothing in the arguments is interpreted), streaming into the caller's
 * streams, which it never ends: they may be the CLI's own stdout and stderr. Resolves once the output is drained.
 */
export function execOnHost(
  request: ExecRequest,
  defaults: { cwd: string; env: Record<string, string> },
): Promise<ExecResult> {
  const [file, ...args] = request.command
  if (file === undefined) return Promise.resolve({ exitCode: 0 })
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: request.cwd ?? defaults.cwd,
      env: { ...defaults.env, ...request.env },
      stdio: [request.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    })
    child.stdout?.pipe(request.stdout, { end: false })
    child.stderr?.pipe(request.stderr, { end: false })
    if (request.stdin && child.stdin) {
      // A command may exit without reading all its input (`head -1`); the broken pipe is not an error.
      child.stdin.on('error', () => undefined)
      request.stdin.pipe(child.stdin)
    }
    let settled = false
    child.once('error', (error: NodeJS.ErrnoException) => {
      settled = true
      const notFound = error.code === 'ENOENT'
      request.stderr.write(`nexus: ${file}: ${notFound ? 'command not found' : error.message}\n`)
      resolve({ exitCode: notFound ? COMMAND_NOT_FOUND : COMMAND_NOT_RUNNABLE })
    })
    child.once('close', (code, signal) => {
      if (settled) return
      resolve({ exitCode: code ?? 128 + (signal ? constants.signals[signal] : 0) })
    })
  })
}

/** The process env as a plain record: `undefined` entries dropped, since spawn would pass them as "undefined". */
export function definedEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [key, value] of Object.entries(env)) if (value !== undefined) result[key] = value
  return result
}
