import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { JsonObject, Provider, Workspace } from '@nexus/core'
import { createTestProviderContext, makeTestWorkspace, type TestWorkspace } from '@nexus/core/testing'
import mockProviderFactory from '../provider.js'

/** A temp `$NEXUS_HOME` with real worktrees, and mock providers made from it the way the CLI makes them. */
export class MockHome {
  private readonly made: TestWorkspace[] = []

  private constructor(readonly nexusHome: string) {}

  static async create(): Promise<MockHome> {
    return new MockHome(await mkdtemp(join(tmpdir(), 'nexus-mock-home-')))
  }

  async provider(config: JsonObject = {}): Promise<Provider> {
    return mockProviderFactory.create(createTestProviderContext({ nexusHome: this.nexusHome, config }))
  }

  async workspace(name: string): Promise<TestWorkspace> {
    const made = await makeTestWorkspace({ backend: 'mock', name })
    this.made.push(made)
    return made
  }

  /** A workspace created and started on `provider`, with the record core would hold for it. */
  async running(provider: Provider, name: string, env: Record<string, string> = {}): Promise<Workspace> {
    const { workspace, spec } = await this.workspace(name)
    const { backendRef } = await provider.create({ workspace, spec: { ...spec, env } })
    await provider.start(workspace)
    return { ...workspace, backendRef, status: 'running' }
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.made.splice(0).map((made) => made.cleanup()))
    await rm(this.nexusHome, { recursive: true, force: true })
  }
}
