import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeConfigFixture, type ConfigFixture } from './__tests__/fixture.js'
import { resolveLocations } from './index.js'

const run = promisify(execFile)

let fx: ConfigFixture
beforeEach(async () => {
  fx = await makeConfigFixture()
})
afterEach(async () => {
  await fx.cleanup()
})

describe('resolveLocations', () => {
  it('uses NEXUS_HOME and NEXUS_SYSTEM_CONFIG, and the defaults without them', async () => {
    const custom = await resolveLocations(fx.repo, {
      HOME: fx.home,
      NEXUS_HOME: join(fx.root, 'nx'),
      NEXUS_SYSTEM_CONFIG: '/x/sys.yaml',
    })
    expect(custom).toMatchObject({
      nexusHome: join(fx.root, 'nx'),
      userFile: join(fx.root, 'nx', 'config.yaml'),
      systemFile: '/x/sys.yaml',
    })
    const defaults = await resolveLocations(fx.repo, { HOME: fx.home })
    expect(defaults).toMatchObject({
      nexusHome: join(fx.home, '.nexus'),
      userFile: join(fx.home, '.nexus', 'config.yaml'),
      systemFile: '/etc/nexus/config.yaml',
    })
  })

  it('finds the nearest project file upward and targets it for writing', async () => {
    await fx.write(fx.projectFile, 'env: {}\n')
    const nested = join(fx.repo, 'packages', 'web', 'src')
    await mkdir(nested, { recursive: true })
    const locations = await resolveLocations(nested, fx.env)
    expect(locations.projectFile).toBe(fx.projectFile)
    expect(locations.projectFileTarget).toBe(fx.projectFile)
  })

  it('counts an empty project file as the project file', async () => {
    await fx.write(fx.projectFile, '')
    await fx.write(join(fx.home, 'projects', '.nexus', 'config.yaml'), 'env: {}\n')
    expect((await resolveLocations(fx.repo, fx.env)).projectFile).toBe(fx.projectFile)
  })

  it('targets <repo>/.nexus/config.yaml when there is no project file yet', async () => {
    const nested = join(fx.repo, 'src')
    await mkdir(nested, { recursive: true })
    const locations = await resolveLocations(nested, fx.env)
    expect(locations.projectFile).toBeNull()
    expect(locations.projectFileTarget).toBe(fx.projectFile)
  })

  it('targets the cwd outside a repository', async () => {
    const outside = join(fx.root, 'scratch')
    await mkdir(outside)
    expect((await resolveLocations(outside, fx.env)).projectFileTarget).toBe(
      join(outside, '.nexus', 'config.yaml'),
    )
  })

  it('never takes the user file, or anything at or above home, for a project file', async () => {
    await fx.write(fx.userFile, 'env: {}\n')
    await fx.write(join(fx.root, '.nexus', 'config.yaml'), 'env: {}\n')
    expect((await resolveLocations(fx.repo, fx.env)).projectFile).toBeNull()
    expect((await resolveLocations(fx.home, fx.env)).projectFile).toBeNull()
    // Even when NEXUS_HOME moves the user file elsewhere, ~/.nexus is not a project.
    expect(
      (await resolveLocations(fx.home, { ...fx.env, NEXUS_HOME: join(fx.root, 'nx') })).projectFile,
    ).toBeNull()
  })

  it('neither loads nor runs cosmiconfig global files such as ~/.config/nexus/config.js', async () => {
    // cosmiconfig reads XDG_CONFIG_HOME from the real process environment, so the search runs in a child process
    // given its own environment rather than changing this one's.
    const xdg = join(fx.root, 'xdg')
    const marker = join(fx.root, 'config-js-ran')
    await fx.write(
      join(xdg, 'nexus', 'config.js'),
      `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran')\n`,
    )
    await fx.write(join(xdg, 'nexus', 'config.yaml'), 'env: {}\n')
    const script = await fx.write(
      join(fx.root, 'probe.mts'),
      `import { resolveLocations } from ${JSON.stringify(join(import.meta.dirname, 'index.ts'))}\n` +
        `const locations = await resolveLocations(${JSON.stringify(fx.root)}, ${JSON.stringify(fx.env)})\n` +
        'console.log(JSON.stringify(locations.projectFile))\n',
    )
    const tsx = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx')
    const { stdout } = await run(tsx, [script], { env: { ...process.env, XDG_CONFIG_HOME: xdg } })
    expect(stdout.trim()).toBe('null')
    expect(existsSync(marker)).toBe(false)
  })

  it('targets the main repository from inside a linked git worktree, which also finds its project file', async () => {
    const repo = join(fx.root, 'real-repo')
    await mkdir(repo)
    const git = (...args: string[]) => run('git', ['-C', repo, ...args])
    await git('init', '-q', '-b', 'main')
    await git(
      '-c',
      'user.email=t@example.test',
      '-c',
      'user.name=t',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'init',
    )
    const worktree = join(repo, '.nexus', 'worktrees', 'feature')
    await git('worktree', 'add', '-q', '-b', 'nexus/feature', worktree)

    expect((await resolveLocations(worktree, fx.env)).projectFileTarget).toBe(
      join(repo, '.nexus', 'config.yaml'),
    )
    await fx.write(join(repo, '.nexus', 'config.yaml'), 'env: {}\n')
    expect((await resolveLocations(join(worktree), fx.env)).projectFile).toBe(
      join(repo, '.nexus', 'config.yaml'),
    )
  })
})
