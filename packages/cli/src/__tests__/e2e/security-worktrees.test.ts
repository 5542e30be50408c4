import { mkdir, readdir, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createSandbox } from './harness.js'

// Path escapes that need no container: the mock backend is enough, so this runs without a Docker engine too.
describe('edge cases: Security', () => {
  it('a symlinked .nexus/worktrees pointing outside the repository is refused, and nothing is created outside', async () => {
    const own = await createSandbox()
    try {
      const outside = join(own.root, 'outside')
      await mkdir(outside)
      await mkdir(join(own.repo, '.nexus'))
      await symlink(outside, join(own.repo, '.nexus', 'worktrees'))
      const result = await own.nexus(['workspace', 'create', 'escape', '--backend', 'mock', '--json'])
      expect(result.code, result.stdout).not.toBe(0)
      expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'PERMISSION_DENIED' } })
      expect(await readdir(outside)).toEqual([])
      expect(await own.git(['branch', '--list', 'nexus/*'])).toBe('')
    } finally {
      await own.cleanup()
    }
  })
})
