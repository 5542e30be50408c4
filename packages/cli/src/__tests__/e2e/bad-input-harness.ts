import { createHash } from 'node:crypto'
import { lstat, readdir, readFile, readlink } from 'node:fs/promises'
import { basename, join, relative } from 'node:path'
import { expect } from 'vitest'
import { STACK_TRACE, type RunOptions, type RunResult, type Sandbox } from './harness.js'

/**
 * What "nothing was written" means for a sandbox: every file and directory under it (modes and contents), the
 * repository's refs and worktrees. The event log is the one file a refused command may touch: it is the audit
 * trail, so a failed attempt is appended to it — as a failure, and nothing else.
 */
export interface WorldSnapshot {
  entries: Map<string, string>
  events: string
  refs: string
  worktrees: string
}

const EVENT_LOG = join('nexus-home', 'state', 'events.jsonl')
// Git's bookkeeping (index stat cache, logs) changes on reads; refs and worktrees are compared through git.
const SKIPPED = new Set([join('repo', '.git')])

async function walk(root: string, dir: string, entries: Map<string, string>): Promise<void> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return
  }
  for (const name of names.sort()) {
    const path = join(dir, name)
    const key = relative(root, path)
    if (SKIPPED.has(key) || basename(key) === '.git' || key === EVENT_LOG) continue
    const info = await lstat(path)
    const mode = (info.mode & 0o7777).toString(8)
    if (info.isSymbolicLink()) entries.set(key, `link ${await readlink(path)}`)
    else if (info.isDirectory()) {
      entries.set(key, `dir ${mode}`)
      await walk(root, path, entries)
    } else {
      const digest = createHash('sha256')
        .update(await readFile(path))
        .digest('hex')
      entries.set(key, `file ${mode} ${digest}`)
    }
  }
}

export async function snapshotWorld(sandbox: Sandbox): Promise<WorldSnapshot> {
  const entries = new Map<string, string>()
  await walk(sandbox.root, sandbox.root, entries)
  const events = await readFile(join(sandbox.root, EVENT_LOG), 'utf8').catch(() => '')
  const refs = await sandbox.git(['for-each-ref', '--format=%(refname) %(objectname)'])
  const worktrees = await sandbox.git(['worktree', 'list', '--porcelain'])
  return { entries, events, refs, worktrees }
}

/** What changed between two snapshots, as readable lines; empty when nothing did. */
export function worldChanges(before: WorldSnapshot, after: WorldSnapshot): string[] {
  const changes: string[] = []
  for (const [key, value] of after.entries) {
    const old = before.entries.get(key)
    if (old === undefined) changes.push(`created ${key} (${value})`)
    else if (old !== value) changes.push(`changed ${key}: ${old} → ${value}`)
  }
  for (const key of before.entries.keys()) if (!after.entries.has(key)) changes.push(`deleted ${key}`)
  if (before.refs !== after.refs) changes.push(`git refs: ${before.refs} → ${after.refs}`)
  if (before.worktrees !== after.worktrees) changes.push(`git worktrees: ${after.worktrees}`)
  if (!after.events.startsWith(before.events)) changes.push('the event log was rewritten, not appended to')
  const appended = after.events.slice(before.events.length).split('\n').filter(Boolean)
  for (const line of appended) {
    const event = JSON.parse(line) as { result?: unknown }
    if (event.result !== 'error') changes.push(`event log recorded a success: ${line.slice(0, 200)}`)
  }
  return changes
}

/** One bad command line, run once as text and once with --json inserted after its command words. */
export interface BadCommand {
  label: string
  /** The command's words, e.g. ['workspace', 'create']. */
  command: readonly string[]
  /** Arguments and flags after the command words. */
  rest: readonly string[]
  /** The codes the refusal may carry. */
  codes: readonly string[]
  /** What the message should mention, when something specific. */
  mentions?: RegExp
  options?: RunOptions
}

export interface Refusal {
  code: string
  message: string
  suggestion: string
}

const TEXT_ERROR = /^Error \[([A-Z_]+)\]: (.+)\n→ (.+)$/m

/** The coded error in a failed run, checked for shape (soft assertions, labelled with the case). */
export function expectRefusal(result: RunResult, json: boolean, label: string): Refusal {
  // Plugins still being built warn on every run; their lines would crowd out the case's own output.
  const stderr = result.stderr.replace(/^Warning: Plugin .*\n/gm, '')
  const where = `${label}${json ? ' (--json)' : ''}: exit ${result.code}\nstdout: ${result.stdout.slice(0, 600)}\nstderr: ${stderr.slice(0, 600)}`
  expect.soft(result.code, where).not.toBe(0)
  expect.soft(`${result.stdout}\n${result.stderr}`, where).not.toMatch(STACK_TRACE)
  if (json) {
    let document: { error?: Partial<Refusal> } = {}
    expect.soft(() => (document = JSON.parse(result.stdout) as typeof document), where).not.toThrow()
    const { code, message, suggestion } = document.error ?? {}
    expect
      .soft(typeof code === 'string' && typeof message === 'string' && message.length > 0, where)
      .toBe(true)
    expect.soft(typeof suggestion === 'string' && suggestion.length > 0, where).toBe(true)
    return { code: code as string, message: message as string, suggestion: suggestion as string }
  }
  // A quoted name must not reach the terminal with its escape sequences or bidi overrides intact.
  expect.soft(result.stderr.includes('\u001b') || result.stderr.includes('\u202e'), where).toBe(false)
  const match = TEXT_ERROR.exec(result.stderr)
  expect.soft(match, where).not.toBeNull()
  const [, code = '', message = '', suggestion = ''] = match ?? []
  return { code, message, suggestion }
}

export interface RefusalOptions {
  /** Commands run at once; each spawns the CLI. */
  concurrency?: number
  /**
   * Every case runs with --json; every `textEvery`-th also as text. Text output is formatted by the same code for
   * every error, so sampling it keeps the battery fast without missing a kind of failure.
   */
  textEvery?: number
}

/** Runs each bad command, a few at a time, and checks every refusal; returns them for further checks. */
export async function expectAllRefused(
  sandbox: Sandbox,
  commands: readonly BadCommand[],
  { concurrency = 3, textEvery = 1 }: RefusalOptions = {},
): Promise<Array<{ command: BadCommand; refusals: Refusal[] }>> {
  const outcomes: Array<{ command: BadCommand; refusals: Refusal[] }> = []
  const queue = commands.map((command, index) => ({ command, text: index % textEvery === 0 }))
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const { command } = next
      const refusals: Refusal[] = []
      for (const json of next.text ? [false, true] : [true]) {
        const args = [...command.command, ...(json ? ['--json'] : []), ...command.rest]
        const result = await sandbox.nexus(args, command.options)
        const refusal = expectRefusal(
          result,
          json,
          `${command.label}: nexus ${JSON.stringify(args).slice(0, 300)}`,
        )
        expect
          .soft(command.codes, `${command.label}${json ? ' (--json)' : ''}: ${refusal.message}`)
          .toContain(refusal.code)
        if (command.mentions) expect.soft(refusal.message, command.label).toMatch(command.mentions)
        refusals.push(refusal)
      }
      outcomes.push({ command, refusals })
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return outcomes
}

/** Runs `body` and fails listing every change it made to the sandbox. */
export async function expectNothingWritten(sandbox: Sandbox, body: () => Promise<unknown>): Promise<void> {
  const before = await snapshotWorld(sandbox)
  await body()
  expect(worldChanges(before, await snapshotWorld(sandbox))).toEqual([])
}
