import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { git } from './git.js'
import { addWorktree, worktreePath } from './worktrees.js'

let repo: string
const add = (name: string, extra: Partial<Parameters<typeof addWorktree>[0]> = {}) =>
  addWorktree({ repoRoot: repo, gitCommonDir: join(repo, '.git'), name, ...extra })

beforeEach(async () => {
  repo = await realpath(await mkdtemp(join(tmpdir(), 'nexus-leftover-')))
  await git(repo, ['init', '-q', '-b', 'main'])
  await git(repo, ['config', 'user.email', 't@example.com'])
  await git(repo, ['config', 'user.name', 'T'])
  await writeFile(join(repo, 'README.md'), 'hello\n')
  await git(repo, ['add', '.'])
  await git(repo, ['commit', '-q', '-m', 'init'])
})

describe('a worktree left behind (real git)', () => {
  it('is an error naming both choices when no choice is given, and nothing is touched', async () => {
    const path = worktreePath(repo, 'old')
    await git(repo, ['worktree', 'add', '-q', '-b', 'nexus/old', path])
    await writeFile(join(path, 'notes.txt'), 'mine\n')
    await expect(add('old')).rejects.toMatchObject({
      code: 'GIT_ERROR',
      suggestion: expect.stringMatching(/--reuse-worktree.*--recreate-worktree/),
    })
    expect(await readFile(join(path, 'notes.txt'), 'utf8')).toBe('mine\n')
  })

  it('is reused as it is, or recreated only with force when it holds uncommitted files', async () => {
    const path = worktreePath(repo, 'old')
    await git(repo, ['worktree', 'add', '-q', '-b', 'nexus/old', path])
    await writeFile(join(path, 'notes.txt'), 'mine\n')
    expect(await add('old', { leftover: 'reuse' })).toMatchObject({
      reusedWorktree: true,
      reusedBranch: true,
    })
    expect(existsSync(join(path, 'notes.txt'))).toBe(true)

    await expect(add('old', { leftover: 'recreate' })).rejects.toMatchObject({ code: 'UNCOMMITTED_CHANGES' })
    expect(existsSync(join(path, 'notes.txt'))).toBe(true)
    expect(await add('old', { leftover: 'recreate', force: true })).toMatchObject({
      reusedWorktree: false,
      reusedBranch: true,
    })
    expect(existsSync(join(path, 'notes.txt'))).toBe(false)
  })

  it('cannot reuse a plain directory or a worktree on another branch', async () => {
    await mkdir(worktreePath(repo, 'plain'), { recursive: true })
    await expect(add('plain', { leftover: 'reuse' })).rejects.toMatchObject({
      message: expect.stringContaining('is not a git worktree'),
    })
    // An empty directory holds nothing of the user's: recreating needs no force.
    expect((await add('plain', { leftover: 'recreate' })).reusedWorktree).toBe(false)

    await git(repo, ['worktree', 'add', '-q', '-b', 'elsewhere', worktreePath(repo, 'other')])
    await expect(add('other', { leftover: 'reuse' })).rejects.toMatchObject({
      message: expect.stringContaining('has elsewhere checked out, not nexus/other'),
    })
  })

  it('is not in the way when its directory was deleted by hand but git still lists it', async () => {
    const path = worktreePath(repo, 'gone')
    await git(repo, ['worktree', 'add', '-q', '-b', 'nexus/gone', path])
    await rm(path, { recursive: true, force: true })
    expect((await add('gone')).reusedBranch).toBe(true)
    expect(existsSync(join(path, 'README.md'))).toBe(true)
  })
})

describe('checkout details (real git)', () => {
  it('branches from the commit of a detached HEAD and says which', async () => {
    await git(repo, ['commit', '-q', '--allow-empty', '-m', 'second'])
    await git(repo, ['checkout', '-q', '--detach', 'HEAD~1'])
    const commit = (await git(repo, ['rev-parse', 'HEAD'])).stdout.trim()
    const added = await add('det')
    expect(commit.startsWith(added.detachedHead ?? '-')).toBe(true)
    expect((await git(repo, ['rev-parse', 'nexus/det'])).stdout.trim()).toBe(commit)
    expect((await add('att', { fromRef: 'main' })).detachedHead).toBeUndefined()
  })

  it('initialises submodules in the new worktree', async () => {
    const library = await realpath(await mkdtemp(join(tmpdir(), 'nexus-lib-')))
    await git(library, ['init', '-q', '-b', 'main'])
    await writeFile(join(library, 'lib.txt'), 'lib\n')
    await git(library, ['add', '.'])
    await git(library, ['-c', 'user.email=t@e', '-c', 'user.name=t', 'commit', '-q', '-m', 'lib'])
    await git(repo, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', library, 'lib'])
    await git(repo, ['commit', '-q', '-m', 'submodule'])
    // Local-path submodules need the user's permission in their global config (git ≥ 2.38.1); nexus's git
    // inherits it from the environment.
    const globalConfig = join(library, '.gitconfig-global')
    await writeFile(globalConfig, '[protocol "file"]\n\tallow = always\n')
    const previous = process.env.GIT_CONFIG_GLOBAL
    process.env.GIT_CONFIG_GLOBAL = globalConfig
    try {
      const added = await add('subs')
      expect(added.warnings).toEqual([])
      expect(await readFile(join(added.path, 'lib', 'lib.txt'), 'utf8')).toBe('lib\n')
    } finally {
      if (previous === undefined) delete process.env.GIT_CONFIG_GLOBAL
      else process.env.GIT_CONFIG_GLOBAL = previous
    }
  })

  it('warns, rather than failing, when a submodule cannot be fetched', async () => {
    await writeFile(
      join(repo, '.gitmodules'),
      '[submodule "gone"]\n\tpath = gone\n\turl = /nonexistent/library.git\n',
    )
    await git(repo, ['add', '.gitmodules'])
    await git(repo, ['update-index', '--add', '--cacheinfo', `160000,${'a'.repeat(40)},gone`])
    await git(repo, ['commit', '-q', '-m', 'broken submodule'])
    const added = await add('broken')
    expect(added.warnings).toHaveLength(1)
    expect(added.warnings[0]).toContain('git submodule update --init --recursive')
  })
})
