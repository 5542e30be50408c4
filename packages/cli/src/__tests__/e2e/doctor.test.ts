import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSandbox, dockerAvailable, type Sandbox } from './harness.js'

interface DoctorReport {
  ok: boolean
  checks: Array<{ id: string; status: 'ok' | 'warn' | 'fail'; message: string; fix?: string }>
}

describe('nexus doctor', () => {
  let sandbox: Sandbox
  beforeEach(async () => {
    sandbox = await createSandbox()
  })
  afterEach(() => sandbox.cleanup())

  it('passes a healthy setup with a mock workspace, one line per check', async () => {
    await sandbox.json(['workspace', 'create', 'alpha', '--backend', 'mock'])
    const result = await sandbox.nexus(['doctor'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^✔ node: Node \d+\.\d+\.\d+$/m)
    expect(result.stdout).toMatch(/^✔ state: 1 workspace record, all readable\.$/m)
    expect(result.stdout).toMatch(/^✔ ports: local: 1 of 220 blocks in use/m)
    expect(result.stdout).toMatch(/^✔ orphans:mock: No mock resources without a workspace\.$/m)

    const report = await sandbox.json<DoctorReport>(['doctor'])
    expect(report.ok).toBe(true)
    const ids = report.checks.map((c) => c.id)
    for (const id of [
      'node',
      'git',
      'config',
      'plugins',
      'commands',
      'keys',
      'state',
      'ports',
      'provider:mock',
    ])
      expect(ids).toContain(id)
    const engine = await dockerAvailable()
    for (const check of report.checks) {
      if (check.id === 'provider:docker' && !engine) continue
      expect(check.status, `${check.id}: ${check.message}`).not.toBe('fail')
    }
  })

  it('fails on a malformed user config with one JSON report, not an error document', async () => {
    await writeFile(join(sandbox.nexusHome, 'config.yaml'), 'defaults: [backend: mock\n')
    const result = await sandbox.nexus(['doctor', '--json'])
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as DoctorReport
    expect(report.ok).toBe(false)
    const config = report.checks.find((c) => c.id === 'config')
    expect(config).toMatchObject({ status: 'fail', message: expect.stringContaining('config.yaml') })
    expect(config?.fix).toBeTruthy()
    // The other checks still ran, on the defaults.
    expect(report.checks.find((c) => c.id === 'provider:mock')?.status).toBe('ok')
  })

  it('fails a private key others can read and says how to fix it', async () => {
    const keysDir = join(sandbox.nexusHome, 'keys')
    const privateKey = join(keysDir, 'id_ed25519')
    await mkdir(keysDir)
    await writeFile(privateKey, 'not really a key\n')
    await chmod(privateKey, 0o644)
    const result = await sandbox.nexus(['doctor'])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`✖ keys: The nexus SSH key ${privateKey} has mode 0644`)
    expect(result.stdout).toContain(`  → chmod 600 ${privateKey}`)
    expect(result.stdout).toMatch(/^1 problem found\.$/m)
  })
})
