import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CleanupResult, Workspace } from '@nexus/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { labelledResources, removeLabelled } from './docker-leftovers.js'
import { createSandbox, docker, dockerAvailable, type Sandbox } from './harness.js'

const engineUp = await dockerAvailable()
let sandbox: Sandbox
const stateFile = (id: string) => join(sandbox.nexusHome, 'state', 'workspaces', `${id}.json`)
const mockFile = (id: string) => join(sandbox.nexusHome, 'providers', 'mock', `${id}.json`)

beforeEach(async () => {
  sandbox = await createSandbox()
})
afterEach(async () => {
  if (engineUp) await removeLabelled(sandbox)
  await sandbox.cleanup()
})

/**
 * The mock tests point the docker backend at an engine that is not there: cleanup looks at every repository's
 * Docker resources, and other sandboxes' workspaces on the shared engine have no record in this NEXUS_HOME.
 */
const noEngine = { env: { DOCKER_HOST: 'unix:///nonexistent/nexus-cleanup-test.sock' } }

/** A lock directory as a command killed a minute ago leaves it. */
async function deadLock(key: string): Promise<string> {
  const lock = join(sandbox.nexusHome, 'state', 'locks', `${key}.lock`)
  await mkdir(lock, { recursive: true })
  const then = new Date(Date.now() - 60_000)
  await utimes(lock, then, then)
  return lock
}

describe('nexus workspace cleanup', () => {
  it('cleanup removes orphans and nothing else: a workspace with state survives cleanup', async () => {
    const live = await sandbox.json<Workspace>(['workspace', 'create', 'live', '--backend', 'mock'])
    const orphan = await sandbox.json<Workspace>(['workspace', 'create', 'orphan', '--backend', 'mock'])
    await rm(stateFile(orphan.id))
    const lock = await deadLock('ws-dead-x')
    // The record of a workspace whose repository was deleted holds its port block for nothing.
    const stale = {
      ...live,
      id: 'stale-reservation',
      name: 'old',
      repoRoot: join(sandbox.root, 'deleted-repo'),
      portBlockStart: 34000,
    }
    await writeFile(stateFile(stale.id), JSON.stringify(stale, null, 2))

    const dry = await sandbox.json<CleanupResult>(['workspace', 'cleanup', '--dry-run'], noEngine)
    expect(dry.dryRun).toBe(true)
    expect(dry.items.map((i) => [i.kind, i.what, i.outcome]).sort()).toEqual([
      ['lock', 'lock', 'planned'],
      ['reservation', 'ports', 'planned'],
      ['resource', 'mock-workspace', 'planned'],
    ])
    expect(dry.items.find((i) => i.kind === 'resource')).toMatchObject({
      backend: 'mock',
      id: orphan.id,
      workspaceId: orphan.id,
    })
    // Without a terminal to ask on and without --yes, it lists and removes nothing.
    const unconfirmed = await sandbox.nexus(['workspace', 'cleanup'], noEngine)
    expect(unconfirmed.code).toBe(0)
    expect(unconfirmed.stdout).toContain('Nothing removed: rerun with --yes to remove these 3.')
    expect([existsSync(mockFile(orphan.id)), existsSync(lock), existsSync(stateFile(stale.id))]).toEqual([
      true,
      true,
      true,
    ])

    const done = await sandbox.json<CleanupResult>(['workspace', 'cleanup', '--yes'], noEngine)
    expect(done.dryRun).toBe(false)
    expect(done.items.map((i) => i.outcome)).toEqual(['removed', 'removed', 'removed'])
    expect([existsSync(mockFile(orphan.id)), existsSync(lock), existsSync(stateFile(stale.id))]).toEqual([
      false,
      false,
      false,
    ])

    // The workspace with a record is untouched and still works.
    expect(existsSync(mockFile(live.id))).toBe(true)
    expect(await sandbox.json<Workspace[]>(['workspace', 'ls'])).toEqual([
      expect.objectContaining({ name: 'live', status: 'running' }),
    ])
    expect((await sandbox.nexus(['workspace', 'exec', 'live', '--', 'true'])).code).toBe(0)
    expect((await sandbox.nexus(['workspace', 'cleanup', '--yes'], noEngine)).stdout).toContain(
      'Nothing to clean up.',
    )
  })

  it('leaves an unreadable record and what its backend holds to repair', async () => {
    const torn = await sandbox.json<Workspace>(['workspace', 'create', 'torn', '--backend', 'mock'])
    const text = await readFile(stateFile(torn.id), 'utf8')
    await writeFile(stateFile(torn.id), text.slice(0, 40))
    const result = await sandbox.json<CleanupResult>(['workspace', 'cleanup', '--yes'], noEngine)
    expect(result.items).toEqual([])
    expect(existsSync(mockFile(torn.id))).toBe(true)
  })

  it.skipIf(!engineUp)(
    'removes the container and network of a Docker workspace whose record is gone; one with a record survives',
    async () => {
      await mkdir(join(sandbox.repo, '.nexus'))
      const config = { backends: { docker: { base_image: 'nexus-base:bookworm' } } }
      await writeFile(join(sandbox.repo, '.nexus', 'config.yaml'), JSON.stringify(config))
      const keep = await sandbox.json<Workspace>(['workspace', 'create', 'keep', '--backend', 'docker'])
      const drop = await sandbox.json<Workspace>(['workspace', 'create', 'drop', '--backend', 'docker'])
      await rm(stateFile(drop.id))

      const done = await sandbox.json<CleanupResult>(['workspace', 'cleanup', '--yes', '--repo-only'])
      expect(done.items.map((i) => [i.what, i.name, i.outcome])).toEqual([
        ['container', String(drop.backendRef?.container), 'removed'],
        ['network', String(drop.backendRef?.network), 'removed'],
      ])
      const left = await labelledResources(sandbox)
      expect(left.containers).toHaveLength(1)
      expect(left.networks).toHaveLength(1)
      const state = await docker([
        'inspect',
        '--format',
        '{{.State.Status}}',
        String(keep.backendRef?.container),
      ])
      expect(state).toBe('running')
      expect((await sandbox.nexus(['workspace', 'exec', 'keep', '--', 'true'])).code).toBe(0)
      expect(await readdir(join(sandbox.nexusHome, 'providers', 'docker', 'workspaces'))).toEqual([keep.id])
    },
    120_000,
  )
})
