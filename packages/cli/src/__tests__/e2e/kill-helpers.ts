import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Workspace } from '@nexus/core'
import { BIN, type Sandbox } from './harness.js'

/** Every workspace record on disk, parsed: throws (failing the test) on a torn one. */
export async function recordsOnDisk(sandbox: Sandbox): Promise<Workspace[]> {
  const dir = join(sandbox.nexusHome, 'state', 'workspaces')
  if (!existsSync(dir)) return []
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'))
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as Workspace))
}

/**
 * Runs `nexus <args>` and kills it with SIGKILL as soon as `when` holds (polled every 10 ms) or after `afterMs`.
 * Resolves whether the kill landed before the command finished by itself.
 */
export async function killNexusWhen(
  sandbox: Sandbox,
  args: readonly string[],
  when: { afterMs?: number; condition?: () => Promise<boolean> },
): Promise<{ killed: boolean }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: sandbox.repo,
    env: sandbox.env,
    stdio: 'ignore',
  })
  let exited = false
  const done = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())))
  const started = Date.now()
  for (;;) {
    if (exited) return { killed: false }
    const timeUp = when.afterMs !== undefined && Date.now() - started >= when.afterMs
    if (timeUp || (when.condition && (await when.condition()))) break
    if (Date.now() - started > 30_000) break
    await sleep(10)
  }
  const killed = !exited && child.kill('SIGKILL')
  await done
  return { killed }
}

/** The record of the workspace named `name` is in `status`. */
export function statusIs(
  sandbox: Sandbox,
  name: string,
  status: Workspace['status'],
): () => Promise<boolean> {
  return async () =>
    (await recordsOnDisk(sandbox).catch(() => [])).some((w) => w.name === name && w.status === status)
}
