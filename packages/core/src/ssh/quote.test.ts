import { describe, expect, it } from 'vitest'
import { runProgram } from '../util/exec-file.js'
import { remoteCommandLine, shellQuote } from './quote.js'

const TRICKY_ARGS = ['a b', "it's", '$HOME', '"double"', '`date`', '*', 'back\\slash', 'new\nline', '', "''"]

/** Runs a command line through the machine's real POSIX shell, as sshd's login shell would. */
async function viaShell(line: string): Promise<string> {
  const result = await runProgram('/bin/sh', ['-c', line], {
    env: { PATH: process.env.PATH, HOME: '/nonexistent' },
  })
  expect(result.stderr).toBe('')
  return result.stdout
}

describe('shellQuote', () => {
  it('wraps words in single quotes and escapes embedded ones', () => {
    expect(shellQuote('plain')).toBe("'plain'")
    expect(shellQuote("it's")).toBe("'it'\\''s'")
    expect(shellQuote('')).toBe("''")
  })

  it('delivers every word verbatim through a real shell', async () => {
    const output = await viaShell(['printf', '%s\\0', ...TRICKY_ARGS].map(shellQuote).join(' '))
    expect(output.split('\0').slice(0, -1)).toEqual(TRICKY_ARGS)
  })
})

describe('remoteCommandLine', () => {
  it('changes directory and exports the environment before running the argv', async () => {
    const line = remoteCommandLine({
      command: ['sh', '-c', 'printf "%s|%s|%s" "$GREETING" "$EMPTY" "$PWD"'],
      cwd: '/tmp',
      env: { GREETING: "hello 'world' $USER", EMPTY: '' },
    })
    expect(await viaShell(line)).toBe("hello 'world' $USER||/tmp")
  })

  it('does not run the command when the directory does not exist', async () => {
    const line = remoteCommandLine({ command: ['echo', 'ran'], cwd: '/no/such/dir' })
    const result = await runProgram('/bin/sh', ['-c', line])
    expect(result.exitCode).not.toBe(0)
    expect(result.stdout).toBe('')
  })

  it('refuses an empty command and invalid variable names', () => {
    expect(() => remoteCommandLine({ command: [] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    )
    expect(() => remoteCommandLine({ command: ['true'], env: { 'BAD NAME': 'x' } })).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        suggestion: expect.stringContaining('underscores'),
      }),
    )
  })
})
