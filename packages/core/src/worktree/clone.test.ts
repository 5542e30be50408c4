import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import type { Clock } from '../util/retry.js'
import { cloneWithRetry, type CommandRunner } from './clone.js'

const run = promisify(execFile)
const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

const localRunner: CommandRunner = async ([file, ...args]) => {
  try {
    const { stdout, stderr } = await run(file!, args)
    return { exitCode: 0, output: stdout + stderr }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    return {
      exitCode: typeof failed.code === 'number' ? failed.code : 1,
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    }
  }
}

function countingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = []
  return { sleeps, now: () => 0, sleep: async (ms) => void sleeps.push(ms) }
}

async function originRepo(): Promise<string> {
  const origin = await mkdtemp(join(tmpdir(), 'nexus-clone-origin-'))
  dirs.push(origin)
  await run('git', ['init', '-q', '-b', 'main', origin])
  await writeFile(join(origin, 'README.md'), 'hello\n')
  await run('git', ['-C', origin, 'add', '.'])
  await run('git', ['-C', origin, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'first'])
  await run('git', ['-C', origin, 'branch', 'feature'])
  return origin
}

describe('cloneWithRetry', () => {
  it('clones the branch asked for with real git', async () => {
    const origin = await originRepo()
    const target = join(await mkdtemp(join(tmpdir(), 'nexus-clone-')), 'work')
    dirs.push(target)
    await cloneWithRetry(localRunner, { url: origin, branch: 'feature', directory: target })
    expect(await readFile(join(target, 'README.md'), 'utf8')).toBe('hello\n')
    const { stdout } = await run('git', ['-C', target, 'branch', '--show-current'])
    expect(stdout.trim()).toBe('feature')
  })

  it('clone failure is retried 3 times, then reported as GIT_ERROR with git’s reason', async () => {
    const clock = countingClock()
    let calls = 0
    const counting: CommandRunner = async (argv) => {
      calls++
      return localRunner(argv)
    }
    const target = join(await mkdtemp(join(tmpdir(), 'nexus-clone-')), 'work')
    dirs.push(target)
    const failure = cloneWithRetry(counting, { url: '/nonexistent/repo.git', directory: target, clock })
    await expect(failure).rejects.toMatchObject({
      code: 'GIT_ERROR',
      message: expect.stringMatching(/failed 3 times: .*(does not exist|not appear to be a git repository)/),
    })
    expect(calls).toBe(3)
    expect(clock.sleeps).toEqual([1000, 2000])
  })
})
