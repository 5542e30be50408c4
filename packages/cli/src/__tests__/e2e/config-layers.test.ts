import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Workspace } from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, parseErrorDocument, STACK_TRACE, type Sandbox } from './harness.js'

interface Entry {
  key: string
  value: unknown
  origin: { scope: string; file?: string; envVar?: string }
}

let sandbox: Sandbox
let projectFile: string
let userFile: string

beforeAll(async () => {
  sandbox = await createSandbox()
  projectFile = join(sandbox.repo, '.nexus', 'config.yaml')
  userFile = join(sandbox.nexusHome, 'config.yaml')
})

afterAll(async () => {
  await sandbox?.cleanup()
})

const backendEntry = async (env: Record<string, string> = {}): Promise<Entry> => {
  const entries = await sandbox.json<Entry[]>(['config', 'list', '--show-origin'], { env })
  const entry = entries.find((e) => e.key === 'defaults.backend')
  if (!entry) throw new Error('config list has no defaults.backend')
  return entry
}

describe('defaults.backend in every layer', () => {
  beforeAll(async () => {
    for (const [scope, value] of [
      ['system', 'system-backend'],
      ['user', 'user-backend'],
      ['project', 'mock'],
    ] as const) {
      const set = await sandbox.nexus(['config', 'set', 'defaults.backend', value, '--scope', scope])
      expect(set.code, set.stderr).toBe(0)
      expect(set.stdout).toContain(`Set defaults.backend = ${value} in the ${scope} config`)
    }
  })

  it('shows the winning value and where it comes from, the environment first', async () => {
    expect(await backendEntry({ NEXUS_BACKEND: 'env-backend' })).toEqual({
      key: 'defaults.backend',
      value: 'env-backend',
      origin: { scope: 'env', envVar: 'NEXUS_BACKEND' },
    })
    expect(await backendEntry()).toEqual({
      key: 'defaults.backend',
      value: 'mock',
      origin: { scope: 'project', file: projectFile },
    })
    const text = await sandbox.nexus(['config', 'list', '--show-origin'], {
      env: { NEXUS_BACKEND: 'env-backend' },
    })
    expect(text.stdout).toMatch(/^KEY\s+VALUE\s+ORIGIN$/m)
    expect(text.stdout).toMatch(/^defaults\.backend\s+env-backend\s+env NEXUS_BACKEND$/m)
    expect(text.stdout).toMatch(/^defaults\.resources\s+small\s+default$/m)
    const get = await sandbox.nexus(['config', 'get', 'defaults.backend', '--show-origin'])
    expect(get.stdout).toBe(`mock\t(project ${projectFile})\n`)
    expect((await sandbox.nexus(['config', 'get', 'defaults.backend'])).stdout).toBe('mock\n')
  })

  it('falls through the layers as the higher ones are unset', async () => {
    expect((await sandbox.nexus(['config', 'unset', 'defaults.backend', '--scope', 'project'])).code).toBe(0)
    expect(await backendEntry()).toMatchObject({
      value: 'user-backend',
      origin: { scope: 'user', file: userFile },
    })
    const removed = await sandbox.json<{ removed: boolean }>(['config', 'unset', 'defaults.backend'])
    expect(removed.removed).toBe(true)
    expect(await backendEntry()).toMatchObject({
      value: 'system-backend',
      origin: { scope: 'system', file: sandbox.systemConfig },
    })
    const again = await sandbox.nexus(['config', 'unset', 'defaults.backend'])
    expect(again.stdout).toContain('was not set in the user config')
    expect(
      (await sandbox.nexus(['config', 'set', 'defaults.backend', 'mock', '--scope', 'project'])).code,
    ).toBe(0)
  })

  it('is what create uses when no --backend is given', async () => {
    const fromEnv = await sandbox.nexus(['ws', 'create', 'from-env', '--json'], {
      env: { NEXUS_BACKEND: 'env-backend' },
    })
    const { error } = parseErrorDocument(fromEnv.stdout)
    expect(error.code).toBe('BACKEND_NOT_FOUND')
    expect(error.message).toContain('"env-backend"')
    expect(error.suggestion).toContain('mock')
    const fromProject = await sandbox.json<Workspace>(['ws', 'create', 'from-project'])
    expect(fromProject.backend).toBe('mock')
    expect((await sandbox.nexus(['ws', 'rm', 'from-project'])).code).toBe(0)
  })

  it('refuses an invalid value without touching the file', async () => {
    const result = await sandbox.nexus(['config', 'set', 'defaults.resources', 'huge', '--json'])
    expect(result.code).toBe(78)
    expect(parseErrorDocument(result.stdout).error.code).toBe('CONFIG_INVALID')
    expect((await backendEntry()).value).toBe('mock')
  })
})

describe('a malformed config file', () => {
  const layers = [
    ['system', (): string => sandbox.systemConfig],
    ['user', (): string => userFile],
    ['project', (): string => projectFile],
  ] as const

  it.each(layers)(
    'in the %s layer fails every command with CONFIG_INVALID naming the file',
    async (_, file) => {
      const path = file()
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, 'defaults:\n  backend: [unclosed\n')
      try {
        const text = await sandbox.nexus(['workspace', 'list'])
        expect(text.code).toBe(78)
        expect(text.stderr).toMatch(/^Error \[CONFIG_INVALID\]: .+\n→ .+/)
        expect(text.stderr).toContain(path)
        expect(text.stderr).not.toMatch(STACK_TRACE)
        const json = await sandbox.nexus(['workspace', 'create', 'broken', '--json'])
        expect(json.code).toBe(78)
        const document = parseErrorDocument(json.stdout)
        expect(document.error.code).toBe('CONFIG_INVALID')
        expect(document.error.suggestion).toBeTruthy()
      } finally {
        await rm(path)
      }
    },
  )

  it('can still be worked around with config set in another layer', async () => {
    await writeFile(userFile, 'defaults: [oops\n')
    try {
      const set = await sandbox.nexus(['config', 'set', 'defaults.resources', 'medium', '--scope', 'project'])
      expect(set.code, set.stderr).toBe(0)
      const unset = await sandbox.nexus(['config', 'unset', 'defaults.resources', '--scope', 'project'])
      expect(unset.code, unset.stderr).toBe(0)
    } finally {
      await rm(userFile)
    }
  })
})
