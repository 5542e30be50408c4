import { existsSync } from 'node:fs'
import { mkdtemp, readFile, realpath, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { hasErrorCode } from '../errors/index.js'
import { git } from './git.js'
import { findRepository } from './repo.js'
import { addWorktree, removeWorktree, uncommittedFiles } from './worktrees.js'

let repo: string

async function makeRepo(): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'nexus-wt-')))
  await git(dir, ['init', '-q', '-b', 'main'])
  await git(dir, ['config', 'user.email', 't@example.com'])
  await git(dir, ['config', 'user.name', 'T'])
  await writeFile(join(dir, 'README.md'), 'hello\n')
  await git(dir, ['add', '.'])
  await git(dir, ['commit', '-q', '-m', 'init'])
  return dir
}

beforeEach(async () => {
  repo = await makeRepo()
})

describe('worktrees (real git)', () => {
  it('finds the repository from a subdirectory and from inside a worktree', async () => {
    expect((await findRepository(repo)).repoRoot).toBe(repo)
    const added = await addWorktree({ repoRoot: repo, gitCommonDir: join(repo, '.git'), name: 'a' })
    expect(await findRepository(added.path)).toEqual({ repoRoot: repo, gitCommonDir: join(repo, '.git') })
  })

  it('refuses a directory that is not a repository with NOT_A_GIT_REPOSITORY', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nexus-norepo-'))
    await expect(findRepository(dir)).rejects.toSatisfy((e: unknown) =>
      hasErrorCode(e, 'NOT_A_GIT_REPOSITORY'),
    )
  })

  it('adds .nexus/worktrees/<name> on nexus/<name> and keeps .nexus out of git status', async () => {
    const added = await addWorktree({ repoRoot: repo, gitCommonDir: join(repo, '.git'), name: 'feat' })
    expect(added).toEqual({
      path: join(repo, '.nexus/worktrees/feat'),
      branch: 'nexus/feat',
      reusedBranch: false,
      reusedWorktree: false,
      warnings: [],
    })
    const head = await git(added.path, ['rev-parse', '--abbrev-ref', 'HEAD'])
    expect(head.stdout.trim()).toBe('nexus/feat')
    expect(await readFile(join(repo, '.git/info/exclude'), 'utf8')).toContain('/.nexus/')
    expect((await git(repo, ['status', '--porcelain'])).stdout).toBe('')
  })

  it('reuses an existing nexus/<name> branch with its commits', async () => {
    await git(repo, ['branch', 'nexus/old'])
    const added = await addWorktree({ repoRoot: repo, gitCommonDir: join(repo, '.git'), name: 'old' })
    expect(added.reusedBranch).toBe(true)
  })

  it('refuses to remove a worktree with uncommitted work unless forced', async () => {
    const added = await addWorktree({ repoRoot: repo, gitCommonDir: join(repo, '.git'), name: 'dirty' })
    await writeFile(join(added.path, 'notes.txt'), 'unsaved\n')
    expect(await uncommittedFiles(added.path)).toEqual(['notes.txt'])
    await expect(removeWorktree({ repoRoot: repo, name: 'dirty' })).rejects.toSatisfy((e: unknown) =>
      hasErrorCode(e, 'UNCOMMITTED_CHANGES'),
    )
    expect(existsSync(join(added.path, 'notes.txt'))).toBe(true)
    const removed = await removeWorktree({ repoRoot: repo, name: 'dirty', force: true })
    expect(existsSync(added.path)).toBe(false)
    expect(removed.branchDeleted).toBe(true)
  })

  it('keeps a branch whose commits are on no other branch, and says so', async () => {
    const added = await addWorktree({ repoRoot: repo, gitCommonDir: join(repo, '.git'), name: 'work' })
    await writeFile(join(added.path, 'feature.txt'), 'x\n')
    await git(added.path, ['add', '.'])
    await git(added.path, ['-c', 'user.email=t@e', '-c', 'user.name=t', 'commit', '-q', '-m', 'feature'])
    const removed = await removeWorktree({ repoRoot: repo, name: 'work' })
    expect(removed.branchDeleted).toBe(false)
    expect(removed.branchNote).toMatch(/kept/)
    expect((await git(repo, ['branch', '--list', 'nexus/work'])).stdout).toContain('nexus/work')
  })

  it('refuses an unknown --from-branch with GIT_ERROR', async () => {
    await expect(
      addWorktree({ repoRoot: repo, gitCommonDir: join(repo, '.git'), name: 'x', fromRef: 'no-such-branch' }),
    ).rejects.toSatisfy((e: unknown) => hasErrorCode(e, 'GIT_ERROR'))
  })
})
