import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hasErrorCode } from '../errors/index.js'
import { workspaceEnv } from './workspace-env.js'

describe('workspace env', () => {
  it('reads env files in order, then lets the env map win', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nexus-env-'))
    await writeFile(join(dir, 'base.env'), '# shared\nA=from-base\nB="quoted value"\nC=base\n')
    await writeFile(join(dir, 'local.env'), 'C=local\n')
    const env = await workspaceEnv([join(dir, 'base.env'), join(dir, 'local.env')], { A: 'from-config' })
    expect(env).toEqual({ A: 'from-config', B: 'quoted value', C: 'local' })
  })

  it('names a missing env file with CONFIG_INVALID', async () => {
    const missing = join(tmpdir(), 'nexus-no-such.env')
    let caught: unknown
    try {
      await workspaceEnv([missing], {})
    } catch (error) {
      caught = error
    }
    expect(hasErrorCode(caught, 'CONFIG_INVALID')).toBe(true)
    expect((caught as Error).message).toContain(missing)
  })
})
