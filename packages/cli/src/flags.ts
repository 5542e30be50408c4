import { Args, Flags } from '@oclif/core'
import { NexusError, WRITABLE_CONFIG_SCOPES } from '@nexus/core'

export const workspaceNameArg = Args.string({ name: 'name', required: true, description: 'Workspace name.' })

/** A positive number (fractions allowed: `--cpu 0.5`). Throws a plain Error so oclif names the flag. */
export const positiveNumberFlag = Flags.custom<number>({
  parse: async (input) => {
    const value = Number(input)
    if (input.trim() === '' || !Number.isFinite(value) || value <= 0)
      throw new Error(`expected a positive number, got "${input}"`)
    return value
  },
})

export const positiveIntegerFlag = Flags.custom<number>({
  parse: async (input) => {
    const value = Number(input)
    if (!/^\d+$/.test(input.trim()) || value <= 0)
      throw new Error(`expected a positive whole number, got "${input}"`)
    return value
  },
})

export const nonNegativeIntegerFlag = Flags.custom<number>({
  parse: async (input) => {
    if (!/^\d+$/.test(input.trim())) throw new Error(`expected a whole number (0 or more), got "${input}"`)
    return Number(input)
  },
})

// A variable name the shell and `env` accept; anything else (`A B`, `X-Y`, unicode) cannot reach the command.
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** `--label k=v` or `--env K=V` (repeatable) as a record; a later key wins. */
export function parseKeyValues(values: readonly string[] | undefined, flag: string): Record<string, string> {
  const result: Record<string, string> = {}
  for (const entry of values ?? []) {
    const separator = entry.indexOf('=')
    const key = separator === -1 ? '' : entry.slice(0, separator).trim()
    if (key === '') {
      throw new NexusError('INVALID_ARGUMENT', `"${entry}" is not a key=value pair for --${flag}.`, {
        suggestion: `Write it as --${flag} key=value, e.g. --${flag} team=web.`,
      })
    }
    if (flag === 'env' && !ENV_VAR_NAME.test(key)) {
      throw new NexusError('INVALID_ARGUMENT', `"${key}" is not an environment variable name for --env.`, {
        suggestion:
          'Use letters, digits and _ (not starting with a digit), e.g. --env API_URL=http://localhost.',
      })
    }
    result[key] = entry.slice(separator + 1)
  }
  return result
}

/** The words after the first `--` of the raw command line: the command to run, passed through verbatim. */
export function argvAfterSeparator(argv: readonly string[]): string[] | undefined {
  const index = argv.indexOf('--')
  return index === -1 ? undefined : argv.slice(index + 1)
}

/** Which config file `config set|unset` edit. */
export const scopeFlag = Flags.string({
  description:
    'Which file: system (NEXUS_SYSTEM_CONFIG or /etc/nexus), user ($NEXUS_HOME), project (.nexus/ of the repository).',
  options: [...WRITABLE_CONFIG_SCOPES],
  default: 'user',
})

export const snapshotNameArg = Args.string({
  name: 'snapshot',
  required: true,
  description: 'Snapshot name.',
})
