import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Provider } from '../provider/index.js'
import { makeTestWorkspace, type TestWorkspace } from '../testing/index.js'
import type { Workspace } from '../workspace/index.js'
import { stubDeps, stubProvider } from './__tests__/stub-deps.js'
import type { ManagerDeps } from './deps.js'
import { syncSshConfig } from './ssh-config-sync.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

/** A backend with SSH that counts how often it is asked for an endpoint. */
function countingProvider(asked: string[]): Provider {
  return stubProvider('counting', {
    capabilities: () => ({ ssh: true }),
    sshEndpoint: async (workspace: Workspace) => {
      asked.push(workspace.name)
      return {
        host: '127.0.0.1',
        port: workspace.portBlockStart,
        user: 'dev',
        identity: '/k',
        forwardAgent: false,
      }
    },
  })
}

async function setup(
  names: string[],
): Promise<{ deps: ManagerDeps; asked: string[]; workspaces: Workspace[] }> {
  const home = await mkdtemp(join(tmpdir(), 'nexus-ssh-sync-'))
  cleanups.push(() => rm(home, { recursive: true, force: true }))
  const asked: string[] = []
  const deps = stubDeps(home, countingProvider(asked))
  const workspaces: Workspace[] = []
  for (const [index, name] of names.entries()) {
    const made: TestWorkspace = await makeTestWorkspace({ backend: 'counting', name })
    cleanups.push(made.cleanup)
    const workspace = { ...made.workspace, status: 'running' as const, portBlockStart: 33000 + index * 10 }
    await deps.state.write(workspace)
    workspaces.push(workspace)
  }
  return { deps, asked, workspaces }
}

describe('ssh_config sync', () => {
  it('after an operation on one workspace, only that one backend endpoint is asked for again', async () => {
    const { deps, asked, workspaces } = await setup(['one', 'two', 'three'])
    const file = await syncSshConfig(deps)
    expect(asked.sort()).toEqual(['one', 'three', 'two'])
    asked.length = 0
    await syncSshConfig(deps, workspaces[1]!.id)
    expect(asked).toEqual(['two'])
    const config = await readFile(file, 'utf8')
    for (const name of ['one', 'two', 'three']) expect(config).toContain(`Host ${name}.nexus`)
    expect((await stat(`${file}.json`)).mode & 0o777).toBe(0o600)
  })

  it('a destroyed workspace leaves ssh_config without asking any backend', async () => {
    const { deps, asked, workspaces } = await setup(['keep', 'gone'])
    const file = await syncSshConfig(deps)
    asked.length = 0
    await deps.state.remove(workspaces[1]!.id)
    await syncSshConfig(deps, workspaces[1]!.id)
    expect(asked).toEqual([])
    const config = await readFile(file, 'utf8')
    expect(config).toContain('Host keep.nexus')
    expect(config).not.toContain('Host gone.nexus')
  })
})
