import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeEach, describe, expect, it } from 'vitest'
import { addWorktree, branchName, worktreePath } from '../worktree/index.js'
import type { Workspace } from '../workspace/index.js'
import { gitFacts, readdWorktree, recreateBranch } from './worktree-parts.js'

const run = promisify(execFile)
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@t',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@t',
}
const git = async (cwd: string, ...args: string[]) => (await run('git', args, { cwd, env })).stdout.trim()

let repo: string
let workspace: Workspace

beforeEach(async () => {
  repo = await realpath(await mkdtemp(join(tmpdir(), 'nexus-repair-git-')))
  await git(repo, 'init', '-q', '-b', 'main')
  await git(repo, 'commit', '-q', '--allow-empty', '-m', 'init')
  await addWorktree({ repoRoot: repo, gitCommonDir: join(repo, '.git'), name: 'a' })
  workspace = {
    name: 'a',
    repoRoot: repo,
    worktreePath: worktreePath(repo, 'a'),
    branch: branchName('a'),
  } as Workspace
})

describe('the git parts of a workspace', () => {
  it('adds a deleted worktree back on its branch, with the commits made on it', async () => {
    await writeFile(join(workspace.worktreePath, 'work.txt'), 'committed\n')
    await git(workspace.worktreePath, 'add', 'work.txt')
    await git(workspace.worktreePath, 'commit', '-q', '-m', 'work')
    await rm(workspace.worktreePath, { recursive: true, force: true })
    expect(await gitFacts(workspace)).toEqual({ worktree: false, branch: true, dirty: [] })
    expect(await readdWorktree(workspace)).toEqual({ reusedBranch: true })
    expect(await readFile(join(workspace.worktreePath, 'work.txt'), 'utf8')).toBe('committed\n')
  })

  it('makes a deleted branch again at the commit its worktree was on, leaving the files alone', async () => {
    await writeFile(join(workspace.worktreePath, 'work.txt'), 'committed\n')
    await git(workspace.worktreePath, 'add', 'work.txt')
    await git(workspace.worktreePath, 'commit', '-q', '-m', 'work')
    const head = await git(workspace.worktreePath, 'rev-parse', 'HEAD')
    await writeFile(join(workspace.worktreePath, 'draft.txt'), 'uncommitted\n')
    await git(repo, 'update-ref', '-d', 'refs/heads/nexus/a')
    expect((await gitFacts(workspace)).branch).toBe(false)
    expect(await recreateBranch(workspace)).toBe(head)
    expect(await gitFacts(workspace)).toEqual({ worktree: true, branch: true, dirty: ['draft.txt'] })
    expect(existsSync(join(workspace.worktreePath, 'draft.txt'))).toBe(true)
  })
})
