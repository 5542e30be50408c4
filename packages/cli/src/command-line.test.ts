import { Args, Command, Flags } from '@oclif/core'
import { describe, expect, it } from 'vitest'
import { commandLineError as usageError } from '@nexus/core'

/** A real oclif parse of a real command definition, so the messages are oclif's own. */
class Sample extends Command {
  static override args = { name: Args.string({ required: true }) }
  static override flags = {
    size: Flags.string({ options: ['small', 'large'] }),
    count: Flags.integer(),
    alone: Flags.boolean({ exclusive: ['count'] }),
  }

  async run(): Promise<void> {}
}

async function parseFailure(argv: string[]): Promise<unknown> {
  const command = new Sample(argv, { runHook: async () => ({ successes: [], failures: [] }) } as never)
  return command['parse'](Sample).then(
    () => {
      throw new Error(`parsing ${argv.join(' ')} succeeded`)
    },
    (error: unknown) => error,
  )
}

describe('usageError', () => {
  it.each([
    [['a', '--bogus'], 'Nonexistent flag: --bogus.'],
    [[], 'Missing required argument <name>.'],
    [['a', '--size', 'huge'], 'Expected --size=huge to be one of: small, large.'],
    [['a', '--count', 'x'], 'Invalid value for --count: Expected an integer but received: x.'],
    [['a', 'b'], 'Unexpected argument: b.'],
    [['a', '--alone', '--count', '1'], '--count=1 cannot also be provided when using --alone.'],
  ])('turns the failure to parse %j into one sentence', async (argv, message) => {
    const error = usageError(await parseFailure(argv), 'sample run')
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.exitCode).toBe(2)
    expect(error.message).toBe(message)
    expect(error.suggestion).toBe('Run `nexus sample run --help` for usage.')
  })
})
