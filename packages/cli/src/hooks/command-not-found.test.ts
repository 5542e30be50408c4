import { fileURLToPath } from 'node:url'
import { Config } from '@oclif/core'
import { beforeAll, describe, expect, it } from 'vitest'
import NexusHelp from '../help.js'
import { notFoundError } from './command-not-found.js'

const CLI_ROOT = fileURLToPath(new URL('../../', import.meta.url))

let config: Config

beforeAll(async () => {
  config = await Config.load(CLI_ROOT)
})

describe('notFoundError', () => {
  it('suggests the nearest command for a typo', () => {
    const error = notFoundError('worksace:list', config)
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe('`nexus worksace list` is not a nexus command.')
    expect(error.suggestion).toBe('Did you mean `nexus workspace list`? Run `nexus --help` for all commands.')
  })

  it('points at the command when the extra words are arguments it does not take', () => {
    const error = notFoundError('ws:ls:a:b', config)
    expect(error.message).toBe('`nexus ws ls` does not take the argument(s) "a b".')
    expect(error.suggestion).toBe('Run `nexus ws ls --help` for usage.')
  })

  it('suggests nothing when nothing is close', () => {
    expect(notFoundError('xyzzy-frobnicate', config).suggestion).toBe('Run `nexus --help` for all commands.')
  })
})

describe('NexusHelp', () => {
  /** The real help, with what it prints kept instead of written. */
  class CapturedHelp extends NexusHelp {
    readonly printed: string[] = []

    protected override log(...args: string[]): void {
      this.printed.push(args.join(' '))
    }
  }

  it('shows the workspace topic for `ws`, the alias oclif cannot declare', async () => {
    const help = new CapturedHelp(config, { stripAnsi: true })
    await help.showHelp(['ws'])
    expect(help.printed.join('\n')).toContain('$ nexus workspace COMMAND')
  })
})
