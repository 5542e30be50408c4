import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { git } from '../worktree/git.js'
import { addWorktree } from '../worktree/index.js'
import { captureWorktree, deleteWorktreeSnapshot, restoreWorktree, snapshotRef } from './worktree-snapshot.js'

let repo: string
let worktree: string

const commit = (cwd: string, message: string) =>
  git(cwd, ['-c', 'user.email=t@example.com', '-c', 'user.name=T', 'commit', '-q', '-m', message])

async function status(cwd: string): Promise<string> {
  return (await git(cwd, ['status', '--porcelain', '--untracked-files=all'])).stdout
}

async function read(path: string): Promise<string | null> {
  return readFile(join(worktree, path), 'utf8').catch(() => null)
}

/** The files a snapshot must bring back, and the ignored ones it must leave alone. */
const TRACKED = [
  'a.txt',
  'b.txt',
  'dir/c.txt',
  'committed.txt',
  'staged.txt',
  'new.txt',
  'dir/new-in-dir.txt',
  'later.txt',
]

beforeEach(async () => {
  repo = await realpath(await mkdtemp(join(tmpdir(), 'nexus-snap-')))
  await git(repo, ['init', '-q', '-b', 'main'])
  await writeFile(join(repo, '.gitignore'), '*.log\nbuild/\n')
  await writeFile(join(repo, 'a.txt'), 'a\n')
  await writeFile(join(repo, 'b.txt'), 'b\n')
  await mkdir(join(repo, 'dir'))
  await writeFile(join(repo, 'dir/c.txt'), 'c\n')
  await git(repo, ['add', '.'])
  await commit(repo, 'init')
  worktree = (await addWorktree({ repoRoot: repo, gitCommonDir: join(repo, '.git'), name: 'w' })).path
})

describe('worktree snapshots (real git)', () => {
  it('brings back committed, modified, deleted, added and staged files exactly, and never touches ignored ones', async () => {
    // The state to capture: a commit on the branch, then uncommitted work of every kind.
    await writeFile(join(worktree, 'committed.txt'), 'committed\n')
    await git(worktree, ['add', 'committed.txt'])
    await commit(worktree, 'committed')
    await writeFile(join(worktree, 'a.txt'), 'a modified\n')
    await rm(join(worktree, 'b.txt'))
    await writeFile(join(worktree, 'staged.txt'), 'staged\n')
    await git(worktree, ['add', 'staged.txt'])
    await writeFile(join(worktree, 'new.txt'), 'untracked\n')
    await writeFile(join(worktree, 'dir/new-in-dir.txt'), 'untracked in dir\n')
    await writeFile(join(worktree, 'debug.log'), 'ignored before\n')
    const before = await status(worktree)
    const contents = Object.fromEntries(
      await Promise.all(TRACKED.map(async (path) => [path, await read(path)])),
    )
    const head = (await git(worktree, ['rev-parse', 'HEAD'])).stdout.trim()

    const ref = snapshotRef('ws-1', 'snap')
    const snapshot = await captureWorktree(worktree, ref, 'test snapshot')
    expect(await status(worktree)).toBe(before)
    expect(snapshot.head).toBe(head)
    // a.txt, staged.txt, new.txt, dir/new-in-dir.txt differ from HEAD; the deletion holds no bytes.
    expect(snapshot.changedFiles).toBe(4)
    expect(snapshot.changedBytes).toBe(
      'a modified\n'.length + 'staged\n'.length + 'untracked\n'.length + 'untracked in dir\n'.length,
    )
    // The ref lives in the shared repository, so the main worktree (and a new workspace) can reach it.
    expect((await git(repo, ['rev-parse', ref])).stdout.trim()).toBe(snapshot.commit)

    // Everything changes afterwards: another commit, edits, deletions, additions, ignored files.
    await writeFile(join(worktree, 'later.txt'), 'later\n')
    await git(worktree, ['add', '-A'])
    await commit(worktree, 'later')
    await writeFile(join(worktree, 'a.txt'), 'a changed again\n')
    await writeFile(join(worktree, 'b.txt'), 'b is back\n')
    await rm(join(worktree, 'dir/c.txt'))
    await rm(join(worktree, 'new.txt'))
    await writeFile(join(worktree, 'another.txt'), 'not in the snapshot\n')
    await mkdir(join(worktree, 'extra'))
    await writeFile(join(worktree, 'extra/deep.txt'), 'not in the snapshot either\n')
    await writeFile(join(worktree, 'debug.log'), 'ignored after\n')
    await mkdir(join(worktree, 'build'))
    await writeFile(join(worktree, 'build/out.bin'), 'build output\n')

    await restoreWorktree(worktree, snapshot)

    expect(await status(worktree)).toBe(before)
    for (const [path, content] of Object.entries(contents)) expect(await read(path), path).toBe(content)
    expect(await read('another.txt')).toBeNull()
    expect(existsSync(join(worktree, 'extra'))).toBe(false)
    expect((await git(worktree, ['rev-parse', 'HEAD'])).stdout.trim()).toBe(head)
    expect((await git(worktree, ['rev-parse', '--abbrev-ref', 'HEAD'])).stdout.trim()).toBe('nexus/w')
    expect(await read('debug.log')).toBe('ignored after\n')
    expect(await read('build/out.bin')).toBe('build output\n')
    // The main checkout is another worktree: untouched.
    expect(await status(repo)).toBe('')
  })

  it('restores a clean snapshot onto a fresh worktree made at its commit (create --from-snapshot)', async () => {
    await writeFile(join(worktree, 'a.txt'), 'work in progress\n')
    await writeFile(join(worktree, 'notes.md'), 'notes\n')
    const snapshot = await captureWorktree(worktree, snapshotRef('ws-1', 'wip'), 'wip')
    const fresh = await addWorktree({
      repoRoot: repo,
      gitCommonDir: join(repo, '.git'),
      name: 'copy',
      fromRef: snapshot.head,
    })
    await restoreWorktree(fresh.path, snapshot)
    expect(await readFile(join(fresh.path, 'a.txt'), 'utf8')).toBe('work in progress\n')
    expect(await readFile(join(fresh.path, 'notes.md'), 'utf8')).toBe('notes\n')
    expect(await status(fresh.path)).toBe(await status(worktree))
  })

  it('drops the ref on delete, and deleting twice is fine', async () => {
    const ref = snapshotRef('ws-1', 'gone')
    await captureWorktree(worktree, ref, 'gone')
    await deleteWorktreeSnapshot(repo, ref)
    await deleteWorktreeSnapshot(repo, ref)
    expect(
      (await git(repo, ['rev-parse', '--verify', '--quiet', ref], { allowFailure: true })).exitCode,
    ).not.toBe(0)
  })
})
