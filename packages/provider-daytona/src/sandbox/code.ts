import { execFile } from 'node:child_process'
import { lstat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { NexusError, cloneWithRetry, type Workspace } from '@nexus/core'
import type { Sandbox } from '../client/sdk.js'
import type { SandboxChoices } from '../config.js'
import { runInSandbox } from './process.js'
import type { Sandboxes } from './sandboxes.js'

const execFileAsync = promisify(execFile)

/** Files per bulk-upload request: big enough to be quick, small enough that one failure retries little. */
const UPLOAD_BATCH = 200

/** Puts the workspace's code into the sandbox: `git clone` there for `--from`, else an upload of the worktree. */
export async function deliverCode(
  sandboxes: Sandboxes,
  workspace: Workspace,
  sandbox: Sandbox,
  workdir: string,
  choices: SandboxChoices,
): Promise<void> {
  const { reporter } = sandboxes.deps
  if (choices.gitUrl) {
    const done = reporter.step(`Cloning ${choices.gitUrl} in the sandbox`)
    try {
      await cloneWithRetry((argv) => runInSandbox(sandboxes, workspace, sandbox, argv), {
        url: choices.gitUrl,
        ...(choices.gitBranch ? { branch: choices.gitBranch } : {}),
        directory: workdir,
        clock: sandboxes.deps.clock,
      })
      done('done')
    } catch (error) {
      done('failed')
      throw error
    }
    return
  }
  const done = reporter.step(`Uploading the worktree to the sandbox`)
  try {
    const files = await worktreeFiles(workspace.worktreePath)
    await runInSandbox(sandboxes, workspace, sandbox, ['mkdir', '-p', workdir])
    await uploadFiles(sandboxes, workspace, sandbox, workspace.worktreePath, workdir, files.regular)
    // The File API does not carry modes: put the executable bits back in one command.
    if (files.executable.length > 0) {
      await runInSandbox(sandboxes, workspace, sandbox, ['chmod', '+x', '--', ...files.executable], workdir)
    }
    done('done', `${files.regular.length} files`)
  } catch (error) {
    done('failed')
    throw error
  }
}

export async function uploadFiles(
  sandboxes: Sandboxes,
  workspace: Workspace,
  sandbox: Sandbox,
  localRoot: string,
  remoteRoot: string,
  relativePaths: string[],
): Promise<void> {
  for (let start = 0; start < relativePaths.length; start += UPLOAD_BATCH) {
    const batch = relativePaths.slice(start, start + UPLOAD_BATCH).map((path) => ({
      source: join(localRoot, path),
      destination: `${remoteRoot}/${path}`,
    }))
    await sandboxes.call(`upload files to workspace "${workspace.name}"`, workspace, () =>
      sandbox.fs.uploadFiles(batch),
    )
  }
}

/** The worktree's files as git sees them (tracked, plus untracked but not ignored): no build output, no .git. */
async function worktreeFiles(worktree: string): Promise<{ regular: string[]; executable: string[] }> {
  let listing: string
  try {
    listing = (
      await execFileAsync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
        cwd: worktree,
        maxBuffer: 256 * 1024 * 1024,
      })
    ).stdout
  } catch (error) {
    throw new NexusError('GIT_ERROR', `Could not list the files of the worktree ${worktree}.`, {
      suggestion: 'Check that the worktree exists (`git worktree list`), then run the create again.',
      cause: error,
    })
  }
  const regular: string[] = []
  const executable: string[] = []
  for (const path of [...new Set(listing.split('\0').filter(Boolean))]) {
    const info = await lstat(join(worktree, path)).catch(() => undefined)
    // Deleted-but-tracked files, symlinks and submodules are not sent: the File API writes regular files only.
    if (!info?.isFile()) continue
    regular.push(path)
    if ((info.mode & 0o111) !== 0) executable.push(path)
  }
  return { regular, executable }
}
