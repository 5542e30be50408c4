import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describeError } from '../errors/index.js'
import { git } from './git.js'

/**
 * What a plain `git worktree add` leaves undone: submodules stay empty directories and LFS files stay pointers
 * (unless the user ran `git lfs install`). Neither failing makes the workspace useless, so each failure becomes a
 * warning that says what to run, rather than undoing the create.
 */
export async function completeCheckout(repoRoot: string, path: string): Promise<string[]> {
  const warnings: string[] = []
  if (existsSync(join(path, '.gitmodules'))) {
    try {
      await git(path, ['submodule', 'update', '--init', '--recursive'])
    } catch (error) {
      warnings.push(
        `Submodules of ${path} could not be initialised (${describeError(error)}); run \`git submodule update --init --recursive\` there.`,
      )
    }
  }
  const lfsWarning = await checkoutLfsFiles(repoRoot, path)
  if (lfsWarning) warnings.push(lfsWarning)
  return warnings
}

async function usesLfs(path: string): Promise<boolean> {
  const attributes = await readFile(join(path, '.gitattributes'), 'utf8').catch(() => '')
  return /\bfilter=lfs\b/.test(attributes)
}

async function checkoutLfsFiles(repoRoot: string, path: string): Promise<string | undefined> {
  if (!(await usesLfs(path))) return undefined
  const installed = await git(path, ['lfs', 'version'], { allowFailure: true }).catch(() => undefined)
  if (installed?.exitCode !== 0) {
    return `The repository uses Git LFS but git-lfs is not installed, so LFS files in ${path} are pointers; install git-lfs, then run \`git lfs pull\` there.`
  }
  // Without the filter, git would see every checked-out LFS file as modified (its clean filter makes the pointer).
  const filter = await git(path, ['config', '--get', 'filter.lfs.process'], { allowFailure: true })
  if (filter.exitCode !== 0 || filter.stdout.trim() === '') {
    return `The repository uses Git LFS but git-lfs is not set up for it, so LFS files in ${path} are pointers; run \`git lfs install\`, then \`git lfs pull\` there.`
  }
  // Usually the checkout's smudge filter has done it already; not with GIT_LFS_SKIP_SMUDGE=1. The worktree shares
  // the main repository's .git/lfs store: `checkout` fills files from it without any network, and `pull` fetches
  // only what is missing from it, when there is a remote to fetch from.
  const remotes = (await git(repoRoot, ['remote'])).stdout.trim()
  try {
    await git(path, ['lfs', remotes ? 'pull' : 'checkout'])
  } catch (error) {
    return `LFS files of ${path} could not be fetched (${describeError(error)}); run \`git lfs pull\` there.`
  }
  return undefined
}
