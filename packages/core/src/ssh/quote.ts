import { NexusError } from '../errors/index.js'

const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * One word for a POSIX shell. Inside single quotes nothing is special, so every word is wrapped in them and each
 * `'` becomes `'\''` (close, escaped quote, reopen): spaces, `$`, backquotes and globs all arrive verbatim.
 */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`
}

export interface RemoteCommand {
  command: string[]
  cwd?: string | undefined
  env?: Record<string, string> | undefined
}

/**
 * The line sshd hands to the remote login shell: `cd <cwd> && export K=v … && <argv>`.
 *
 * Environment variables are exported in the line rather than sent as SSH `env` requests because a stock sshd
 * accepts only `AcceptEnv LANG LC_*` and drops the rest without telling the client.
 */
export function remoteCommandLine({ command, cwd, env }: RemoteCommand): string {
  if (command.length === 0) {
    throw new NexusError('INVALID_ARGUMENT', 'There is no command to run: the command is empty.', {
      suggestion: 'Pass the program and its arguments, e.g. `nexus workspace exec <name> -- ls -la`.',
    })
  }
  const steps: string[] = []
  if (cwd !== undefined && cwd !== '') steps.push(`cd ${shellQuote(cwd)}`)
  const assignments = Object.entries(env ?? {}).map(([name, value]) => {
    if (!ENV_NAME_PATTERN.test(name)) {
      throw new NexusError('INVALID_ARGUMENT', `"${name}" is not a valid environment variable name.`, {
        suggestion: 'Use letters, digits and underscores, not starting with a digit (e.g. `MY_VAR`).',
      })
    }
    return `${name}=${shellQuote(value)}`
  })
  if (assignments.length > 0) steps.push(`export ${assignments.join(' ')}`)
  steps.push(command.map(shellQuote).join(' '))
  return steps.join(' && ')
}
