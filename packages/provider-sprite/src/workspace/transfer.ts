import { execFile, spawn } from 'node:child_process'
import { PassThrough } from 'node:stream'
import { promisify } from 'node:util'
import type { Sprite } from '@fly/sprites'
import { NexusError, cloneWithRetry, type Clock } from '@nexus/core'
import { captureOnSprite, type Diagnose } from './run-command.js'

const execFileAsync = promisify(execFile)

/**
 * The worktree's files, as git sees them: tracked and untracked-but-not-ignored (no `node_modules`, no build
 * output), NUL-separated for tar. Without git (an odd worktree), every file but `.git`.
 */
async function worktreeFiles(worktreePath: string): Promise<Buffer | null> {
  try {
    const { stdout } = await execFileAsync(
      'git',
      ['-C', worktreePath, 'ls-files', '-z', '-co', '--exclude-standard'],
      {
        encoding: 'buffer',
        maxBuffer: 256 * 1024 * 1024,
      },
    )
    return stdout
  } catch {
    return null
  }
}

/**
 * Copies the worktree into the sprite's work dir as one tar stream through the exec channel's stdin (`tar -x`
 * inside), so nothing needs the filesystem API's 16 MiB limit. Git history stays on the host: `--from` clones
 * inside when the sprite should have its own repository.
 */
export async function transferWorktree(
  sprite: Sprite,
  worktreePath: string,
  workdir: string,
  diagnose: Diagnose,
): Promise<void> {
  const files = await worktreeFiles(worktreePath)
  const args = files
    ? ['-C', worktreePath, '--null', '--ignore-failed-read', '-T', '-', '-cf', '-']
    : ['-C', worktreePath, '--exclude=./.git', '-cf', '-', '.']
  const tar = spawn('tar', args, { stdio: ['pipe', 'pipe', 'pipe'] })
  let tarErrors = ''
  tar.stderr.on('data', (chunk: Buffer) => (tarErrors += chunk.toString('utf8')))
  const tarExit = new Promise<number>((resolve) => {
    tar.once('error', () => resolve(127))
    tar.once('close', (code) => resolve(code ?? 1))
  })
  tar.stdin.on('error', () => undefined)
  tar.stdin.end(files ?? undefined)
  // Node discards a child's unread output when it exits, and a small tar exits before the exec channel opens.
  const archive = tar.stdout.pipe(new PassThrough())

  const inside = await captureOnSprite(sprite, { argv: ['tar', '-xf', '-'], cwd: workdir }, diagnose, archive)
  const localExit = await tarExit
  if (localExit !== 0 && localExit !== 1) {
    throw new NexusError(
      'BACKEND_ERROR',
      `Packing worktree ${worktreePath} failed: ${lastLine(tarErrors)}.`,
      {
        suggestion:
          'Check that `tar` is installed and the worktree is readable, then create the workspace again.',
      },
    )
  }
  if (inside.exitCode !== 0) {
    throw new NexusError(
      'BACKEND_ERROR',
      `Unpacking the worktree in sprite ${sprite.name} failed (tar exited ${inside.exitCode}): ${firstLine(inside.output)}.`,
      {
        suggestion:
          'Check the sprite has room (`nexus workspace exec <name> -- df -h`), then create the workspace again.',
      },
    )
  }
}

/** `--from <url> [--branch b]`: clones into the work dir inside the sprite, retrying as core's clone does. */
export async function cloneInside(
  sprite: Sprite,
  workdir: string,
  source: { url: string; branch?: string },
  diagnose: Diagnose,
  clock: Clock,
): Promise<void> {
  await cloneWithRetry((argv) => captureOnSprite(sprite, { argv, cwd: workdir }, diagnose), {
    url: source.url,
    ...(source.branch ? { branch: source.branch } : {}),
    // The command already runs in the work dir; a relative target keeps every path out of the command itself.
    directory: '.',
    clock,
  })
}

function lastLine(output: string): string {
  return (
    output
      .trim()
      .split('\n')
      .filter((line) => line.trim())
      .at(-1)
      ?.trim() ?? 'no output'
  )
}

function firstLine(output: string): string {
  return (
    output
      .trim()
      .split('\n')
      .find((line) => line.trim())
      ?.trim() ?? 'no output'
  )
}
