import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, parseErrorDocument, STACK_TRACE, type Sandbox } from './harness.js'

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await createSandbox()
})

afterAll(async () => {
  await sandbox?.cleanup()
})

describe('help', () => {
  it('prints the root help quickly, listing topics but no alias duplicates', async () => {
    const started = Date.now()
    const result = await sandbox.nexus(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/TOPICS[\s\S]*workspace/)
    // Generous bound: a missing manifest or a heavy top-level import would cost far more than this on any machine.
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('lists each workspace command once, without its hidden aliases', async () => {
    const result = await sandbox.nexus(['workspace', '--help'])
    expect(result.code).toBe(0)
    for (const command of ['create', 'start', 'stop', 'destroy', 'list', 'info', 'exec', 'ssh', 'logs']) {
      expect(result.stdout).toMatch(new RegExp(`workspace ${command}\\s`))
    }
    for (const alias of [
      'workspace up',
      'workspace down',
      'workspace rm',
      'workspace ls',
      'workspace show',
      'ws ',
    ]) {
      expect(result.stdout).not.toContain(alias)
    }
  })

  it('shows help through an alias', async () => {
    const result = await sandbox.nexus(['workspace', 'up', '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Start a workspace')
  })
})

describe('command line errors become INVALID_ARGUMENT', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown flag', ['workspace', 'list', '--bogus'], /--bogus/],
    ['a missing argument', ['workspace', 'create'], /<name>/],
    ['a value outside the options', ['workspace', 'create', 'a', '--resources', 'huge'], /huge/],
    ['a malformed number', ['workspace', 'create', 'a', '--cpu', 'lots'], /--cpu/],
    ['an extra argument', ['workspace', 'info', 'a', 'b'], /b/],
  ]

  it.each(cases)('%s: text on stderr, one line and a suggestion, exit 2', async (_, args, mentions) => {
    const result = await sandbox.nexus(args)
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^Error \[INVALID_ARGUMENT\]: .+\n→ Run `nexus .+ --help` for usage\.\n$/)
    expect(result.stderr).toMatch(mentions)
    expect(result.stderr).not.toMatch(STACK_TRACE)
  })

  it.each(cases)('%s: under --json, exactly one JSON document on stdout', async (_, args) => {
    const result = await sandbox.nexus([...args, '--json'])
    expect(result.code).toBe(2)
    const document = parseErrorDocument(result.stdout)
    expect(document.error.code).toBe('INVALID_ARGUMENT')
    expect(document.error.suggestion).toMatch(/--help/)
    expect(result.stderr).not.toMatch(STACK_TRACE)
  })

  it('tells exec to take the command after `--` when its flags are mistaken for ours', async () => {
    const result = await sandbox.nexus(['workspace', 'exec', 'some-name', 'ls', '-la', '--json'])
    expect(result.code).toBe(2)
    const { error } = parseErrorDocument(result.stdout)
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.suggestion).toContain('nexus workspace exec <name> -- ls -la')
  })

  it('keeps the stack for --debug', async () => {
    const result = await sandbox.nexus(['workspace', 'list', '--bogus', '--debug'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(STACK_TRACE)
  })
})

describe('workspace names', () => {
  it.each([
    ['Foo Bar', 'INVALID_NAME', /foo-bar/],
    ['../x', 'INVALID_NAME', /`x-1`|`x`/],
    ['current', 'RESERVED_NAME', /current-1/],
  ])('refuses %j with %s and a suggested name', async (name, code, suggestion) => {
    const text = await sandbox.nexus(['workspace', 'create', name, '--backend', 'mock'])
    expect(text.code).toBe(2)
    expect(text.stderr).toContain(`Error [${code}]`)
    expect(text.stderr).not.toMatch(STACK_TRACE)
    const json = await sandbox.nexus(['workspace', 'create', name, '--backend', 'mock', '--json'])
    expect(json.code).toBe(2)
    const document = parseErrorDocument(json.stdout)
    expect(document.error.code).toBe(code)
    expect(document.error.suggestion).toMatch(suggestion)
  })
})

describe('bad create input', () => {
  it.each([
    ['an unknown backend', ['--backend', 'nope'], 'BACKEND_NOT_FOUND', /mock/],
    ['a privileged host port', ['--backend', 'mock', '--port', 'web=80:80'], 'PORT_CONFLICT', /web=80/],
    ['a malformed port', ['--backend', 'mock', '--port', 'web'], 'INVALID_ARGUMENT', /--port name=container/],
    ['a malformed label', ['--backend', 'mock', '--label', 'team'], 'INVALID_ARGUMENT', /key=value/],
  ])('refuses %s with its code and a suggestion', async (_, flags, code, suggestion) => {
    const text = await sandbox.nexus(['workspace', 'create', 'valid-name', ...flags])
    expect(text.code).not.toBe(0)
    expect(text.stderr).toContain(`Error [${code}]`)
    expect(text.stderr).toMatch(/\n→ /)
    expect(text.stderr).not.toMatch(STACK_TRACE)
    const json = await sandbox.nexus(['workspace', 'create', 'valid-name', ...flags, '--json'])
    expect(json.code).toBe(text.code)
    const document = parseErrorDocument(json.stdout)
    expect(document.error.code).toBe(code)
    expect(document.error.suggestion).toMatch(suggestion)
    expect(await sandbox.git(['worktree', 'list', '--porcelain'])).not.toContain('valid-name')
  })
})

describe('outside a git repository', () => {
  it('refuses create with NOT_A_GIT_REPOSITORY', async () => {
    const result = await sandbox.nexus(['workspace', 'create', 'alpha', '--backend', 'mock', '--json'], {
      cwd: sandbox.root,
    })
    expect(result.code).not.toBe(0)
    expect(parseErrorDocument(result.stdout).error.code).toBe('NOT_A_GIT_REPOSITORY')
  })

  it('lists every repository there', async () => {
    const result = await sandbox.nexus(['workspace', 'list', '--json'], { cwd: sandbox.root })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([])
  })
})
