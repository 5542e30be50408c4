import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectAllRefused, expectNothingWritten, type BadCommand } from './bad-input-harness.js'
import {
  INVALID_PORT_SPECS,
  INVALID_POSITIVE_NUMBERS,
  INVALID_WHOLE_NUMBERS,
  type BadCase,
} from './generators.js'
import { createSandbox, type Sandbox } from './harness.js'

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await createSandbox()
  const created = await sandbox.nexus(['workspace', 'create', 'base', '--backend', 'mock'])
  expect(created.code, created.stderr).toBe(0)
})

afterAll(async () => {
  await sandbox?.cleanup()
})

/** `nexus workspace create fresh --backend mock <flags>`: the create that would write everything if let through. */
function create(
  label: string,
  flags: readonly string[],
  codes: readonly string[],
  mentions?: RegExp,
  name = 'fresh',
): BadCommand {
  return {
    label,
    command: ['workspace', 'create'],
    rest: [
      name,
      ...(flags.some((flag) => flag.startsWith('--backend')) ? [] : ['--backend', 'mock']),
      ...flags,
    ],
    codes,
    ...(mentions ? { mentions } : {}),
  }
}

// `--flag=value` keeps values that start with a dash (`-1`) from being read as another flag.
function numberCases(flag: string, values: ReadonlyArray<BadCase>): BadCommand[] {
  return values.map(({ label, value }) =>
    create(`--${flag} ${label}`, [`--${flag}=${value}`], ['INVALID_ARGUMENT'], new RegExp(`--${flag}`)),
  )
}

async function refusedOrDestroyed(command: BadCommand): Promise<void> {
  try {
    await expectNothingWritten(sandbox, () => expectAllRefused(sandbox, [command], { concurrency: 1 }))
  } finally {
    await sandbox.nexus(['workspace', 'destroy', command.rest[0] ?? '', '--force'])
  }
}

describe('edge cases: Bad input', { timeout: 120_000 }, () => {
  it('create --port with generated bad specs → INVALID_ARGUMENT or PORT_CONFLICT, nothing written', async () => {
    const commands = INVALID_PORT_SPECS.map(({ label, value }) =>
      create(`--port ${label}`, [`--port=${value}`], ['INVALID_ARGUMENT', 'PORT_CONFLICT']),
    )
    await expectNothingWritten(sandbox, () => expectAllRefused(sandbox, commands, { textEvery: 3 }))
  })

  it('create --port web=80:80 → PORT_CONFLICT: nexus does not publish privileged ports', async () => {
    await expectNothingWritten(sandbox, () =>
      expectAllRefused(sandbox, [
        create('privileged', ['--port', 'web=80:80'], ['PORT_CONFLICT'], /below 1024/),
      ]),
    )
  })

  // Each uses its own name and destroys whatever a regression lets it create, so the other cases still start clean.
  it('create with the same --port name twice → INVALID_ARGUMENT naming the duplicate', async () => {
    await refusedOrDestroyed(
      create(
        'duplicate name',
        ['--port', 'web=3000', '--port', 'web=4000'],
        ['INVALID_ARGUMENT'],
        /web/,
        'dup-name',
      ),
    )
  })

  it('create with two --port mappings on one fixed host port → PORT_CONFLICT', async () => {
    await refusedOrDestroyed(
      create(
        'duplicate host port',
        ['--port', 'one=3000:40123', '--port', 'two=3001:40123'],
        ['PORT_CONFLICT'],
        undefined,
        'dup-host',
      ),
    )
  })

  it('create --cpu/--memory/--disk with 0, -1, abc, 1e309 and other non-positive numbers → INVALID_ARGUMENT naming the flag', async () => {
    const commands = [
      ...numberCases('cpu', INVALID_POSITIVE_NUMBERS),
      ...numberCases('memory', INVALID_POSITIVE_NUMBERS.slice(0, 6)),
      ...numberCases('disk', INVALID_POSITIVE_NUMBERS.slice(0, 4)),
      ...numberCases('auto-stop', INVALID_WHOLE_NUMBERS),
    ]
    await expectNothingWritten(sandbox, () => expectAllRefused(sandbox, commands, { textEvery: 3 }))
  })

  it('a flag without its value, an unknown flag or an empty value → INVALID_ARGUMENT, nothing written', async () => {
    const commands = [
      create('--memory without a value', ['--memory'], ['INVALID_ARGUMENT'], /--memory/),
      create('--cpu without a value', ['--cpu'], ['INVALID_ARGUMENT'], /--cpu/),
      create('an unknown flag', ['--cpus', '2'], ['INVALID_ARGUMENT'], /--cpus/),
      create('--backend empty', ['--backend='], ['INVALID_ARGUMENT'], /--backend/),
      create('--image empty', ['--image', ''], ['INVALID_ARGUMENT'], /--image/),
      create('--from-snapshot blank', ['--from-snapshot', '  '], ['INVALID_ARGUMENT'], /--from-snapshot/),
      create('--from-branch empty', ['--from-branch='], ['INVALID_ARGUMENT'], /--from-branch/),
      create('--resources outside the classes', ['--resources', 'huge'], ['INVALID_ARGUMENT'], /huge/),
      create('--resources upper case', ['--resources', 'SMALL'], ['INVALID_ARGUMENT']),
      create('--branch without --from', ['--branch', 'main'], ['INVALID_ARGUMENT'], /--from/),
      create(
        '--from-branch with --from-snapshot',
        ['--from-branch', 'main', '--from-snapshot', 'x'],
        ['INVALID_ARGUMENT'],
      ),
    ]
    await expectNothingWritten(sandbox, () => expectAllRefused(sandbox, commands, { textEvery: 3 }))
  })

  it('create --label and exec --env with malformed pairs → INVALID_ARGUMENT, nothing written', async () => {
    const labels = ['=x', 'novalue', '', ' =1'].map((value) =>
      create(`--label ${JSON.stringify(value)}`, [`--label=${value}`], ['INVALID_ARGUMENT'], /--label/),
    )
    const envs = ['=x', 'A B=1', '1X=2', 'X-Y=1', 'TÖKEN=1', '../X=1', 'noequals'].map((value) => ({
      label: `--env ${JSON.stringify(value)}`,
      command: ['workspace', 'exec'],
      rest: ['base', `--env=${value}`, '--', 'true'],
      codes: ['INVALID_ARGUMENT'],
      mentions: /--env/,
    }))
    await expectNothingWritten(sandbox, () =>
      expectAllRefused(sandbox, [...labels, ...envs], { textEvery: 3 }),
    )
  })

  it('create --backend with an unknown or path-like backend → BACKEND_NOT_FOUND, nothing written', async () => {
    const backends = ['nope', '../mock', '/abs', 'Mock', 'mock ', '🚀', 'x'.repeat(300)]
    const commands = backends.map((backend) =>
      create(
        `--backend ${JSON.stringify(backend.slice(0, 20))}`,
        [`--backend=${backend}`],
        ['BACKEND_NOT_FOUND'],
      ),
    )
    await expectNothingWritten(sandbox, () => expectAllRefused(sandbox, commands, { textEvery: 3 }))
  })

  it('create --from-branch with option-like, path-like or missing refs → GIT_ERROR, git never runs the text as an option', async () => {
    const refs = [
      '--orphan',
      '-b',
      `--upload-pack=touch ${sandbox.root}/pwned`,
      '../x',
      'refs/../x',
      'nope',
      'main..x',
      '@{-1}x',
    ]
    const commands = refs.map((ref) =>
      create(`--from-branch ${ref}`, [`--from-branch=${ref}`], ['GIT_ERROR', 'INVALID_ARGUMENT']),
    )
    await expectNothingWritten(sandbox, () => expectAllRefused(sandbox, commands, { textEvery: 3 }))
  })

  it('list --status/--label with values outside the options → INVALID_ARGUMENT', async () => {
    const commands: BadCommand[] = [
      {
        label: 'status',
        command: ['workspace', 'list'],
        rest: ['--status', 'alive'],
        codes: ['INVALID_ARGUMENT'],
      },
      { label: 'label', command: ['workspace', 'list'], rest: ['--label', 'x'], codes: ['INVALID_ARGUMENT'] },
    ]
    await expectNothingWritten(sandbox, () => expectAllRefused(sandbox, commands, { textEvery: 3 }))
  })
})
