import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, parseErrorDocument, type Sandbox } from './harness.js'

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await createSandbox()
  await mkdir(join(sandbox.repo, '.nexus'), { recursive: true })
  // env_files are relative to the config file that names them.
  await writeFile(join(sandbox.repo, '.nexus', 'dev.env'), 'A=from-file\nB=overridden\n')
  await writeFile(
    join(sandbox.repo, '.nexus', 'config.yaml'),
    'version: "2"\nenv_files: [dev.env]\nenv:\n  B: from-config\n',
  )
})

afterAll(async () => {
  await sandbox?.cleanup()
})

describe('the workspace environment', () => {
  it('comes from env_files, with the env map on top', async () => {
    await sandbox.json<Workspace>(['workspace', 'create', 'envy', '--backend', 'mock'])
    const run = await sandbox.nexus(['workspace', 'exec', 'envy', '--', 'sh', '-c', 'echo "$A $B"'])
    expect(run.stdout).toBe('from-file from-config\n')
  })

  it('refuses a missing env file with CONFIG_INVALID and leaves no workspace behind', async () => {
    await rm(join(sandbox.repo, '.nexus', 'dev.env'))
    const result = await sandbox.nexus(['workspace', 'create', 'no-env', '--backend', 'mock', '--json'])
    expect(result.code).not.toBe(0)
    expect(parseErrorDocument(result.stdout).error.code).toBe('CONFIG_INVALID')
    const names = (await sandbox.json<Workspace[]>(['workspace', 'ls'])).map((w) => w.name)
    expect(names).toEqual(['envy'])
    expect(await sandbox.git(['worktree', 'list'])).not.toContain('no-env')
  })
})
