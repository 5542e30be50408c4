import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectAllRefused, expectNothingWritten, type BadCommand } from './bad-input-harness.js'
import { invalidNames, RESERVED_WORDS } from './generators.js'
import { createSandbox, type Sandbox } from './harness.js'

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await createSandbox()
  // An existing workspace, so that snapshot names and name lookups are checked against something real.
  const created = await sandbox.nexus(['workspace', 'create', 'base', '--backend', 'mock'])
  expect(created.code, created.stderr).toBe(0)
})

afterAll(async () => {
  await sandbox?.cleanup()
})

const NAME_CODES = ['INVALID_NAME', 'RESERVED_NAME']
const names = invalidNames()

/** `--` before the name, so that `-leading` reaches nexus as a name rather than oclif as a flag. */
function createWith(name: string, label: string): BadCommand {
  return {
    label: `create: ${label}`,
    command: ['workspace', 'create'],
    rest: ['--backend', 'mock', '--', name],
    codes: NAME_CODES,
  }
}

describe('edge cases: Bad input', { timeout: 120_000 }, () => {
  it('create with generated invalid names → INVALID_NAME with a valid suggestion, nothing written', async () => {
    await expectNothingWritten(sandbox, async () => {
      const outcomes = await expectAllRefused(
        sandbox,
        names.map(({ label, value }) => createWith(value, label)),
      )
      for (const { command, refusals } of outcomes) {
        for (const refusal of refusals) {
          expect.soft(refusal.code, command.label).toBe('INVALID_NAME')
          // The suggestion names a name that is itself valid: following it must work.
          const suggested = /`([^`]+)`/.exec(refusal.suggestion)?.[1] ?? ''
          expect
            .soft(suggested, `${command.label}: ${refusal.suggestion}`)
            .toMatch(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/)
        }
      }
    })
    expect(names.length).toBeGreaterThanOrEqual(50)
  })

  it('create with a reserved word → RESERVED_NAME, nothing written', async () => {
    await expectNothingWritten(sandbox, async () => {
      const outcomes = await expectAllRefused(
        sandbox,
        RESERVED_WORDS.map((word) => ({ ...createWith(word, word), mentions: /reserved/ })),
      )
      for (const { refusals } of outcomes)
        for (const refusal of refusals) expect.soft(refusal.code).toBe('RESERVED_NAME')
    })
  })

  it('lifecycle commands given a path-like or invalid name → a coded error, nothing touched', async () => {
    const pathLike = names.filter(({ value }) => /[./\\]|^$|^-/.test(value) || value.length > 64)
    const commands: BadCommand[] = []
    for (const verb of ['info', 'start', 'destroy']) {
      for (const { label, value } of pathLike.slice(0, 6)) {
        commands.push({
          label: `${verb}: ${label}`,
          command: ['workspace', verb],
          rest: ['--', value],
          codes: [...NAME_CODES, 'WORKSPACE_NOT_FOUND'],
        })
      }
    }
    await expectNothingWritten(sandbox, () => expectAllRefused(sandbox, commands, { textEvery: 3 }))
  })

  it('snapshot create with generated invalid snapshot names → INVALID_NAME, nothing written', async () => {
    const commands: BadCommand[] = names
      .filter((_, index) => index % 3 === 0)
      .map(({ label, value }) => ({
        label: `snapshot: ${label}`,
        command: ['workspace', 'snapshot', 'create'],
        rest: ['--', 'base', value],
        codes: NAME_CODES,
      }))
    commands.push({
      label: 'snapshot: reserved',
      command: ['workspace', 'snapshot', 'create'],
      rest: ['base', 'current'],
      codes: ['RESERVED_NAME'],
    })
    await expectNothingWritten(sandbox, () => expectAllRefused(sandbox, commands, { textEvery: 3 }))
  })

  it('create --from-snapshot with a malformed or path-like source → a coded error, nothing written', async () => {
    const sources = [
      '',
      '/',
      'a/b/c',
      '../x',
      '/abs',
      'base/',
      '/snap',
      'base/../../x',
      'Base/Snap',
      'x'.repeat(70),
    ]
    const commands: BadCommand[] = sources.map((source) => ({
      label: `from-snapshot ${JSON.stringify(source)}`,
      command: ['workspace', 'create'],
      rest: ['fresh', '--backend', 'mock', '--from-snapshot', source],
      codes: ['INVALID_ARGUMENT', 'INVALID_NAME', 'SNAPSHOT_NOT_FOUND', 'WORKSPACE_NOT_FOUND'],
    }))
    await expectNothingWritten(sandbox, () => expectAllRefused(sandbox, commands, { textEvery: 3 }))
  })
})
