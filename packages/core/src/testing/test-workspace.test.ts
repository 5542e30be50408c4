import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { hasErrorCode } from '../errors/index.js'
import { isPortFree } from '../ports/probe.js'
import { runProgram } from '../util/exec-file.js'
import { failureOf } from './expectations.js'
import { CONFORMANCE_MARKER, makeTestWorkspace, type TestWorkspace } from './test-workspace.js'

const made: TestWorkspace[] = []
afterEach(async () => {
  await Promise.all(made.splice(0).map((workspace) => workspace.cleanup()))
})

async function make(name: string, withSshKey = false): Promise<TestWorkspace> {
  const workspace = await makeTestWorkspace({ backend: 'mock', name, withSshKey })
  made.push(workspace)
  return workspace
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await runProgram('git', args, { cwd })
  expect(result.exitCode, result.stderr).toBe(0)
  return result.stdout.trim()
}

describe('makeTestWorkspace', () => {
  it('makes a real repository with a worktree on nexus/<name> under .nexus/worktrees', async () => {
    const { workspace, spec, repoRoot } = await make('feature-x')
    expect(workspace.worktreePath).toBe(join(repoRoot, '.nexus', 'worktrees', 'feature-x'))
    expect(await git(workspace.worktreePath, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('nexus/feature-x')
    expect(workspace.branch).toBe('nexus/feature-x')
    const commonDir = await git(
      workspace.worktreePath,
      'rev-parse',
      '--path-format=absolute',
      '--git-common-dir',
    )
    expect(commonDir).toBe(spec.gitCommonDir)
    expect(await readFile(join(workspace.worktreePath, CONFORMANCE_MARKER.file), 'utf8')).toBe(
      CONFORMANCE_MARKER.content,
    )
    expect(await git(repoRoot, 'status', '--porcelain'), 'the worktree directory is ignored').toBe('')
  })

  it('returns a pending record with a uuid and an SSH port nothing holds', async () => {
    const { workspace, spec } = await make('ports')
    expect(workspace).toMatchObject({ schemaVersion: 1, name: 'ports', backend: 'mock', status: 'pending' })
    expect(workspace.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    const ssh = workspace.ports.find((port) => port.name === 'ssh')
    expect(ssh?.containerPort).toBe(22)
    expect(ssh?.hostPort).toBe(workspace.portBlockStart)
    expect(workspace.portBlockStart).toBeGreaterThanOrEqual(40000)
    expect(workspace.portBlockStart + 9).toBeLessThanOrEqual(65535)
    expect(await isPortFree(workspace.portBlockStart)).toBe(true)
    expect(workspace.resources.class).toBe('small')
    expect(spec).toEqual({ env: {}, authorizedKeys: [], gitCommonDir: spec.gitCommonDir, options: {} })
  })

  it('generates a key pair whose private half (mode 0600) matches the authorized public key', async () => {
    const { spec, identityPath } = await make('keyed', true)
    expect(identityPath).not.toBeNull()
    const path = identityPath as string
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    const derived = await runProgram('ssh-keygen', ['-y', '-f', path])
    expect(derived.exitCode, derived.stderr).toBe(0)
    const [type, key] = derived.stdout.trim().split(' ')
    expect(spec.authorizedKeys).toHaveLength(1)
    expect(spec.authorizedKeys[0]?.startsWith(`${type} ${key}`)).toBe(true)
  })

  it('refuses a name nexus itself would refuse', async () => {
    const error = await failureOf(() => makeTestWorkspace({ backend: 'mock', name: 'Not Valid' }))
    expect(hasErrorCode(error, 'INVALID_NAME')).toBe(true)
  })

  it('cleanup removes the repository and its worktree', async () => {
    const made = await makeTestWorkspace({ backend: 'mock', name: 'gone' })
    await made.cleanup()
    expect(await failureOf(() => stat(made.repoRoot))).toMatchObject({ code: 'ENOENT' })
  })
})
