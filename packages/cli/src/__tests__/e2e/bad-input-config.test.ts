import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import {
  formatFailure,
  isNexusError,
  loadConfig,
  resolveLocations,
  setConfigValue,
  type NexusErrorLike,
} from '@nexus/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  expectAllRefused,
  snapshotWorld,
  worldChanges,
  type BadCommand,
  type Refusal,
} from './bad-input-harness.js'
import { malformedConfigFiles, WRONG_CONFIG_TYPES, yamlAt, type BadCase } from './generators.js'
import { createSandbox, STACK_TRACE, type Sandbox } from './harness.js'

// A few sandboxes run cases side by side: each case owns its sandbox's config files while it runs.
const POOL_SIZE = 3
const sandboxes: Sandbox[] = []

beforeAll(async () => {
  sandboxes.push(...(await Promise.all(Array.from({ length: POOL_SIZE }, () => createSandbox()))))
})

afterAll(async () => {
  await Promise.all(sandboxes.map((sandbox) => sandbox.cleanup()))
})

type Scope = 'project' | 'user' | 'system'
const SCOPES: readonly Scope[] = ['project', 'user', 'system']

function configFile(sandbox: Sandbox, scope: Scope): string {
  if (scope === 'project') return join(sandbox.repo, '.nexus', 'config.yaml')
  if (scope === 'user') return join(sandbox.nexusHome, 'config.yaml')
  return sandbox.systemConfig
}

interface ConfigCase {
  label: string
  scope: Scope
  text: string | Buffer
  /** What the message must mention besides the file: the key path, when the case is about one key. */
  mentions?: RegExp
}

/** `create` loads config and is the command that would write a workspace if the config were let through. */
function createCommand(label: string): BadCommand {
  return {
    label: `${label}: create`,
    command: ['workspace', 'create'],
    rest: ['fresh', '--backend', 'mock'],
    codes: ['CONFIG_INVALID'],
  }
}

/** The checks every refusal of a bad config file gets, in process or from the binary. */
function checkRefusal(refusal: Refusal, { label, mentions }: ConfigCase, file: string): void {
  expect.soft(refusal.code, label).toBe('CONFIG_INVALID')
  expect.soft(refusal.message, label).toContain(file)
  if (mentions) expect.soft(refusal.message, label).toMatch(mentions)
  expect.soft(refusal.suggestion.length, `${label}: suggestion`).toBeGreaterThan(0)
  // One sentence a person can read: a 1 MB key or value must not be echoed back.
  expect
    .soft(refusal.message.length, `${label}: message of ${refusal.message.length} characters`)
    .toBeLessThan(1000)
}

/** Loads config in process, as every command does first: fast enough to run every case. */
async function refusalInProcess(sandbox: Sandbox, label: string): Promise<Refusal> {
  try {
    await loadConfig({ cwd: sandbox.repo, env: sandbox.env })
  } catch (error) {
    expect.soft(isNexusError(error), `${label}: ${String(error)}`).toBe(true)
    for (const json of [false, true]) {
      const { text } = formatFailure(error, { json, debug: false })
      expect.soft(text, label).not.toMatch(STACK_TRACE)
    }
    const { code, message, suggestion } = error as NexusErrorLike
    return { code, message, suggestion: suggestion ?? '' }
  }
  expect.soft(false, `${label}: the config was accepted`).toBe(true)
  return { code: '', message: '', suggestion: '' }
}

/**
 * Writes each case's file into a pool sandbox and checks the refusal: every case in process, and every
 * `binaryEvery`-th case also through the built CLI, as text and as --json. Nothing else may change.
 */
async function expectConfigRefused(cases: readonly ConfigCase[], binaryEvery = 4): Promise<void> {
  const queue = cases.map((entry, index) => ({ entry, viaBinary: index % binaryEvery === 0 }))
  const worker = async (sandbox: Sandbox): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const { entry, viaBinary } = next
      const label = `${entry.label} (${entry.scope})`
      const file = configFile(sandbox, entry.scope)
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, entry.text)
      const before = await snapshotWorld(sandbox)
      checkRefusal(await refusalInProcess(sandbox, label), entry, file)
      if (viaBinary) {
        const [outcome] = await expectAllRefused(sandbox, [createCommand(label)], { concurrency: 1 })
        for (const refusal of outcome?.refusals ?? []) checkRefusal(refusal, entry, file)
      }
      expect.soft(worldChanges(before, await snapshotWorld(sandbox)), label).toEqual([])
      expect
        .soft(Buffer.compare(await readFile(file), Buffer.from(entry.text)), `${label}: file changed`)
        .toBe(0)
      await rm(file, { force: true })
    }
  }
  await Promise.all(sandboxes.map(worker))
}

function escaped(keyPath: string): RegExp {
  return new RegExp(keyPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
}

describe('edge cases: Bad input', { timeout: 120_000 }, () => {
  it('config files with a wrong type for each key → CONFIG_INVALID naming the file and key, nothing written', async () => {
    const cases: ConfigCase[] = WRONG_CONFIG_TYPES.flatMap(({ keyPath, yamlValues }, keyIndex) =>
      yamlValues.map((value, valueIndex) => ({
        label: `${keyPath}: ${value}`,
        scope: SCOPES[(keyIndex + valueIndex) % SCOPES.length] as Scope,
        text: yamlAt(keyPath, value),
        mentions: escaped(keyPath.split('.')[0] ?? keyPath),
      })),
    )
    await expectConfigRefused(cases)
  }, 120_000)

  it('config files with unknown keys, huge values, deep nesting, tabs, duplicate keys, tags, alias bombs or non-UTF-8 bytes → CONFIG_INVALID, never a hang', async () => {
    const started = Date.now()
    const cases: ConfigCase[] = malformedConfigFiles().map(
      ({ label, value }: BadCase<string | Buffer>, index) => ({
        label,
        scope: SCOPES[index % SCOPES.length] as Scope,
        text: value,
      }),
    )
    await expectConfigRefused(cases)
    // yaml's maxAliasCount stops the billion laughs; without it, that one case alone would run for minutes.
    expect(Date.now() - started).toBeLessThan(60_000)
  }, 120_000)

  it('an unknown key is an error naming it, the same in every scope (the schema is strict)', async () => {
    await expectConfigRefused(
      SCOPES.map((scope) => ({
        label: `colour in ${scope}`,
        scope,
        text: 'colour: blue\n',
        mentions: /colour/,
      })),
      1,
    )
  })

  it('config set with a wrong type, an unknown key or a path-like key → CONFIG_INVALID, the file untouched', async () => {
    const [sandbox] = sandboxes as [Sandbox]
    const userFile = configFile(sandbox, 'user')
    await writeFile(userFile, '# keep me\ndefaults:\n  resources: small\n')
    const sets: Array<[string, string]> = [
      ...WRONG_CONFIG_TYPES.filter(({ keyPath }) => keyPath.includes('.')).map(
        ({ keyPath, yamlValues }): [string, string] => [keyPath, yamlValues[0] ?? ''],
      ),
      ['colour', 'blue'],
      ['defaults.colour', 'blue'],
      ['../x', '1'],
      ['defaults..backend', 'docker'],
      ['.defaults', 'docker'],
      ['defaults.backend.', 'docker'],
      ['', 'docker'],
      ['__proto__.polluted', 'yes'],
      ['constructor.prototype.polluted', 'yes'],
    ]
    const before = await snapshotWorld(sandbox)
    const locations = await resolveLocations(sandbox.repo, sandbox.env)
    for (const [key, value] of sets) {
      const label = `config set ${JSON.stringify(key)} ${JSON.stringify(value)}`
      const refused = await setConfigValue(locations, 'user', key, value).then(
        () => undefined,
        (error: unknown) => error,
      )
      expect.soft(isNexusError(refused) ? refused.code : String(refused), label).toBe('CONFIG_INVALID')
    }
    expect(({} as Record<string, unknown>).polluted, 'Object.prototype was polluted').toBeUndefined()
    // The built CLI for a sample: argv and the standalone error path.
    const commands: BadCommand[] = sets
      .filter((_, index) => index % 4 === 0)
      .map(([key, value]) => ({
        label: `config set ${JSON.stringify(key)} ${JSON.stringify(value)}`,
        command: ['config', 'set'],
        rest: ['--', key, value],
        codes: ['CONFIG_INVALID'],
      }))
    await expectAllRefused(sandbox, commands, { concurrency: 2, textEvery: 2 })
    expect(worldChanges(before, await snapshotWorld(sandbox))).toEqual([])
    expect(await readFile(userFile, 'utf8')).toBe('# keep me\ndefaults:\n  resources: small\n')
    await rm(userFile)
  })

  it('NEXUS_* variables with invalid values → CONFIG_INVALID naming the variable, nothing written', async () => {
    const [sandbox] = sandboxes as [Sandbox]
    const variables: Array<[string, string]> = [
      ['NEXUS_RESOURCES', 'huge'],
      ['NEXUS_EXEC_TRANSPORT', 'telnet'],
      ['NEXUS_SWITCH_PREVIOUS', 'destroy'],
      ['NEXUS_STOP_GRACE_SECONDS', '-1'],
      ['NEXUS_STOP_GRACE_SECONDS', 'ten'],
      ['NEXUS_STOP_GRACE_SECONDS', '1e309'],
      ['NEXUS_RESOURCES', '../small'],
    ]
    const commands: BadCommand[] = variables.map(([name, value]) => ({
      label: `${name}=${value}`,
      command: ['workspace', 'create'],
      rest: ['fresh', '--backend', 'mock'],
      codes: ['CONFIG_INVALID'],
      mentions: new RegExp(name),
      options: { env: { [name]: value } },
    }))
    const before = await snapshotWorld(sandbox)
    await expectAllRefused(sandbox, commands, { concurrency: 2, textEvery: 2 })
    expect(worldChanges(before, await snapshotWorld(sandbox))).toEqual([])
  })
})
