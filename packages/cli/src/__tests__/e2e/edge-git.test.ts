import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, createSandbox, parseErrorDocument, type RunResult, type Sandbox } from './harness.js'

const execFileAsync = promisify(execFile)

// Ten blocks of ten, apart from the ranges the other e2e files use.
const PORT_RANGE = '{start: 22400, end: 22499}'

const gitLfsInstalled = await execFileAsync('git', ['lfs', 'version']).then(
  () => true,
  () => false,
)

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await createSandbox({ portsRange: PORT_RANGE })
})

afterAll(async () => {
  await sandbox?.cleanup()
})

const worktree = (name: string): string => join(sandbox.repo, '.nexus', 'worktrees', name)

async function names(): Promise<string[]> {
  return (await sandbox.json<Workspace[]>(['ws', 'ls'])).map((w) => w.name).sort()
}

async function commitFile(file: string, content: string, cwd = sandbox.repo): Promise<string> {
  await writeFile(join(cwd, file), content)
  await sandbox.git(['add', file], cwd)
  await sandbox.git(['commit', '--quiet', '-m', `add ${file}`], cwd)
  return sandbox.git(['rev-parse', 'HEAD'], cwd)
}

/** nexus with stderr on a terminal (through `script`), where info lines are shown; output comes back merged. */
async function nexusOnTerminal(args: string[]): Promise<RunResult> {
  const command = [process.execPath, BIN, ...args].map((word) => `'${word}'`).join(' ')
  try {
    const { stdout } = await execFileAsync('script', ['-qec', command, '/dev/null'], {
      cwd: sandbox.repo,
      env: sandbox.env,
    })
    return { code: 0, stdout, stderr: '' }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string }
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: '' }
  }
}

describe('edge cases: Git', () => {
  it('worktree dir left behind from before → detected, reused or recreated by choice', async () => {
    // A worktree from an earlier life of "left" (its state is gone), with work the user has not committed.
    await sandbox.git(['worktree', 'add', '--quiet', '-b', 'nexus/left', worktree('left')])
    await writeFile(join(worktree('left'), 'notes.txt'), 'unsaved work\n')

    const refused = await sandbox.nexus(['ws', 'create', 'left', '--backend', 'mock', '--json'])
    expect(refused.code).toBe(1)
    const { error } = parseErrorDocument(refused.stdout)
    expect(error.code).toBe('GIT_ERROR')
    expect(error.message).toContain(`${worktree('left')} already exists (a git worktree)`)
    expect(error.suggestion).toContain('--reuse-worktree')
    expect(error.suggestion).toContain('--recreate-worktree')
    expect(await names()).not.toContain('left')

    // A create that fails after choosing to reuse (here: the backend's clone) undoes itself but leaves the reused
    // worktree, which is the user's, exactly as it was.
    const bad = `file://${join(sandbox.root, 'missing.git')}`
    const failed = await sandbox.nexus(
      ['ws', 'create', 'left', '--reuse-worktree', '--from', bad, '--json'],
      {
        env: { NEXUS_BACKEND: 'mock' },
      },
    )
    expect(parseErrorDocument(failed.stdout).error.code).toBe('GIT_ERROR')
    expect(await readFile(join(worktree('left'), 'notes.txt'), 'utf8')).toBe('unsaved work\n')
    expect(await sandbox.git(['branch', '--list', 'nexus/left'])).toContain('nexus/left')
    expect(await names()).not.toContain('left')

    const reused = await sandbox.nexus([
      'ws',
      'create',
      'left',
      '--backend',
      'mock',
      '--reuse-worktree',
      '--json',
    ])
    expect(reused.code, reused.stdout + reused.stderr).toBe(0)
    expect((JSON.parse(reused.stdout) as Workspace).worktreePath).toBe(worktree('left'))
    const seen = await sandbox.nexus(['ws', 'exec', 'left', '--', 'cat', 'notes.txt'])
    expect(seen.stdout).toBe('unsaved work\n')
  })

  it('worktree dir left behind from before → recreate never deletes uncommitted files without --force', async () => {
    await sandbox.git(['worktree', 'add', '--quiet', '-b', 'nexus/again', worktree('again')])
    await writeFile(join(worktree('again'), 'draft.md'), 'draft\n')

    const refused = await sandbox.nexus([
      'ws',
      'create',
      'again',
      '--backend',
      'mock',
      '--recreate-worktree',
      '--json',
    ])
    expect(refused.code).toBe(1)
    const { error } = parseErrorDocument(refused.stdout)
    expect(error.code).toBe('UNCOMMITTED_CHANGES')
    expect(error.message).toContain('draft.md')
    expect(error.suggestion).toContain('--force')
    expect(await readFile(join(worktree('again'), 'draft.md'), 'utf8')).toBe('draft\n')
    expect(await names()).not.toContain('again')

    const forced = await sandbox.nexus([
      'ws',
      'create',
      'again',
      '--backend',
      'mock',
      '--recreate-worktree',
      '--force',
    ])
    expect(forced.code, forced.stderr).toBe(0)
    expect(existsSync(join(worktree('again'), 'draft.md'))).toBe(false)
    expect(await sandbox.git(['status', '--porcelain'], worktree('again'))).toBe('')

    // A plain directory (not a worktree git knows) cannot be reused, and its files are the user's too.
    await mkdir(worktree('plain'), { recursive: true })
    await writeFile(join(worktree('plain'), 'keep.txt'), 'mine\n')
    const notReusable = await sandbox.nexus([
      'ws',
      'create',
      'plain',
      '--backend',
      'mock',
      '--reuse-worktree',
      '--json',
    ])
    expect(parseErrorDocument(notReusable.stdout).error.message).toContain('is not a git worktree')
    const notRecreated = await sandbox.nexus([
      'ws',
      'create',
      'plain',
      '--backend',
      'mock',
      '--recreate-worktree',
      '--json',
    ])
    expect(parseErrorDocument(notRecreated.stdout).error.code).toBe('UNCOMMITTED_CHANGES')
    expect(await readFile(join(worktree('plain'), 'keep.txt'), 'utf8')).toBe('mine\n')
  })

  it('branch exists → reused (with an info line)', async () => {
    await sandbox.git(['switch', '--quiet', '-c', 'nexus/old'])
    const commit = await commitFile('old-work.txt', 'from before\n')
    await sandbox.git(['switch', '--quiet', 'main'])

    const result = await nexusOnTerminal(['ws', 'create', 'old', '--backend', 'mock'])
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain(
      'Branch nexus/old already exists: the workspace reuses it with its commits.',
    )
    expect(await sandbox.git(['rev-parse', 'HEAD'], worktree('old'))).toBe(commit)
    expect(await readFile(join(worktree('old'), 'old-work.txt'), 'utf8')).toBe('from before\n')

    // Asked to start from elsewhere, the reuse is no longer just information: it is a warning, shown everywhere.
    await sandbox.git(['branch', 'nexus/old2', commit])
    const warned = await sandbox.nexus(['ws', 'create', 'old2', '--backend', 'mock', '--from-branch', 'main'])
    expect(warned.code).toBe(0)
    expect(warned.stderr).toContain('Warning: Branch nexus/old2 already exists')
    expect(warned.stderr).toContain('--from-branch main does not apply to it')
    expect(await sandbox.git(['rev-parse', 'HEAD'], worktree('old2'))).toBe(commit)
  })

  it('uncommitted changes on switch are kept', async () => {
    await sandbox.json<Workspace>(['ws', 'create', 'sw-a', '--backend', 'mock'])
    await sandbox.json<Workspace>(['ws', 'create', 'sw-b', '--backend', 'mock'])
    await writeFile(join(worktree('sw-a'), 'wip.txt'), 'half done\n')
    await writeFile(join(worktree('sw-a'), 'README.md'), '# edited, not committed\n')

    expect((await sandbox.nexus(['ws', 'switch', 'sw-a'])).code).toBe(0)
    expect((await sandbox.nexus(['ws', 'switch', 'sw-b'])).code).toBe(0)
    const back = await sandbox.nexus(['ws', 'switch', 'sw-a'])
    expect(back.code, back.stderr).toBe(0)
    expect(back.stdout.trim()).toBe(worktree('sw-a'))

    expect(await readFile(join(worktree('sw-a'), 'wip.txt'), 'utf8')).toBe('half done\n')
    expect(await readFile(join(worktree('sw-a'), 'README.md'), 'utf8')).toBe('# edited, not committed\n')
    const status = (await sandbox.git(['status', '--porcelain'], worktree('sw-a'))).split('\n')
    expect(status.map((line) => line.trim()).sort()).toEqual(['?? wip.txt', 'M README.md'])
    const seen = await sandbox.nexus(['ws', 'exec', 'sw-a', '--', 'cat', 'wip.txt'])
    expect(seen.stdout).toBe('half done\n')
  })

  it('detached HEAD in the repo → warning and a branch from that commit', async () => {
    const commit = await commitFile('detached.txt', 'on main\n')
    await sandbox.git(['checkout', '--quiet', '--detach', 'HEAD~1'])
    const detachedAt = await sandbox.git(['rev-parse', 'HEAD'])
    expect(detachedAt).not.toBe(commit)
    try {
      const result = await sandbox.nexus(['ws', 'create', 'det', '--backend', 'mock'])
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toContain(
        `Warning: The repository is on a detached HEAD (${detachedAt.slice(0, 7)}): branch nexus/det starts from that commit.`,
      )
      expect(await sandbox.git(['rev-parse', 'nexus/det'])).toBe(detachedAt)
      expect(await sandbox.git(['rev-parse', '--abbrev-ref', 'HEAD'], worktree('det'))).toBe('nexus/det')
      // The user's own checkout stays detached where it was.
      expect(await sandbox.git(['rev-parse', 'HEAD'])).toBe(detachedAt)
    } finally {
      await sandbox.git(['checkout', '--quiet', 'main'])
    }
  })

  it('submodules initialised in the worktree', async () => {
    const library = join(sandbox.root, 'library')
    await mkdir(library)
    await sandbox.git(['init', '--quiet', '--initial-branch=main'], library)
    const libraryCommit = await commitFile('lib.txt', 'library code\n', library)
    // The user allows local-path submodules in their own config, as git has required since 2.38.1.
    await sandbox.git(['config', '--global', 'protocol.file.allow', 'always'])
    await sandbox.git(['submodule', 'add', '--quiet', library, 'vendor/library'])
    await sandbox.git(['commit', '--quiet', '-m', 'add submodule'])

    const result = await sandbox.nexus(['ws', 'create', 'subs', '--backend', 'mock'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toContain('Submodules')
    expect(await readFile(join(worktree('subs'), 'vendor', 'library', 'lib.txt'), 'utf8')).toBe(
      'library code\n',
    )
    expect(await sandbox.git(['rev-parse', 'HEAD'], join(worktree('subs'), 'vendor', 'library'))).toBe(
      libraryCommit,
    )
    expect(await sandbox.git(['status', '--porcelain'], worktree('subs'))).toBe('')
  })

  it.skipIf(!gitLfsInstalled)('LFS files present', async () => {
    // git-lfs set up for the user (filters in ~/.gitconfig), the usual state of a machine that works with LFS.
    await sandbox.git(['lfs', 'install'])
    await sandbox.git(['lfs', 'track', '*.bin'])
    const blob = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256))
    await writeFile(join(sandbox.repo, 'model.bin'), blob)
    await sandbox.git(['add', '.gitattributes', 'model.bin'])
    await sandbox.git(['commit', '--quiet', '-m', 'add an LFS file'])
    expect(await sandbox.git(['lfs', 'ls-files', '--name-only'])).toBe('model.bin')

    // Skipping the smudge (as many do for speed) leaves pointers after `git worktree add`: nexus fills them in.
    const result = await sandbox.nexus(['ws', 'create', 'lfs', '--backend', 'mock'], {
      env: { GIT_LFS_SKIP_SMUDGE: '1' },
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toContain('LFS')
    expect(Buffer.compare(await readFile(join(worktree('lfs'), 'model.bin')), blob)).toBe(0)
    expect(await sandbox.git(['status', '--porcelain'], worktree('lfs'))).toBe('')
  })
})
