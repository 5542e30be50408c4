import type { Workspace } from '@nexus/core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createSandbox, parseErrorDocument, type Sandbox } from './harness.js'

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await createSandbox()
})

afterAll(async () => {
  await sandbox?.cleanup()
})

it('lets exactly one of ten concurrent creates of one name win, leaving state and git consistent', async () => {
  const attempts = await Promise.all(
    Array.from({ length: 10 }, () =>
      sandbox.nexus(['workspace', 'create', 'race', '--backend', 'mock', '--json']),
    ),
  )
  const winners = attempts.filter((attempt) => attempt.code === 0)
  expect(winners, attempts.map((a) => a.stdout + a.stderr).join('\n')).toHaveLength(1)
  for (const loser of attempts.filter((attempt) => attempt.code !== 0)) {
    expect(parseErrorDocument(loser.stdout).error.code).toBe('WORKSPACE_ALREADY_EXISTS')
  }
  const winner = JSON.parse(winners[0]?.stdout ?? '') as Workspace

  const listed = await sandbox.json<Workspace[]>(['ws', 'ls'])
  expect(listed.map((w) => [w.id, w.name, w.status])).toEqual([[winner.id, 'race', 'running']])
  const worktrees = (await sandbox.git(['worktree', 'list', '--porcelain']))
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
  expect(worktrees).toEqual([`worktree ${sandbox.repo}`, `worktree ${winner.worktreePath}`])
  expect((await sandbox.nexus(['ws', 'exec', 'race', '--', 'true'])).code).toBe(0)
})
