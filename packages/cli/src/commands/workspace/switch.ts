import { Flags } from '@oclif/core'
import { NexusError, shellQuote, type SwitchPolicy, type SwitchResult } from '@nexus/core'
import { NexusCommand } from '../../base-command.js'
import { workspaceNameArg } from '../../flags.js'

const POLICIES: readonly SwitchPolicy[] = ['pause', 'stop', 'keep']
const PAST_TENSE = { paused: 'paused', stopped: 'stopped', kept: 'still running' } as const

/**
 * The line `--shell` prints for the user's shell to `eval`. Single quotes keep every path verbatim in sh, bash,
 * zsh and fish. The backend goes in NEXUS_WORKSPACE_BACKEND, not NEXUS_BACKEND: that one sets `defaults.backend`,
 * and exporting it would silently change where every later `nexus workspace create` in that shell goes.
 */
function shellLine(result: SwitchResult): string {
  const { workspace } = result
  return (
    `cd ${shellQuote(result.worktreePath)} && export NEXUS_WORKSPACE=${shellQuote(workspace.name)} ` +
    `NEXUS_WORKSPACE_BACKEND=${shellQuote(workspace.backend)}`
  )
}

function summary(result: SwitchResult): string {
  const { workspace, previous } = result
  const left = previous ? `; ${previous.name} is ${PAST_TENSE[previous.action]}` : ''
  return `On workspace ${workspace.name} (${workspace.backend}, ${workspace.status})${left}.`
}

export default class WorkspaceSwitch extends NexusCommand {
  static override summary = 'Switch to a workspace, setting the current one aside with its processes kept.'
  static override description =
    'Starts or resumes the workspace, records it as the current one of the repository (`nexus workspace current`), ' +
    'and pauses the workspace you leave (config `switch.previous`: pause, stop or keep). Prints the worktree path ' +
    'alone on stdout, so `cd "$(nexus ws sw <name>)"` works; with --shell, a line to `eval` (see docs/shell.md).' +
    '\n\nAliases: `nexus ws switch`, `nexus ws sw`, `nexus workspace sw`.'
  static override hiddenAliases = ['ws:switch', 'ws:sw', 'workspace:sw']
  static override examples = [
    '<%= config.bin %> workspace switch my-feature',
    'cd "$(<%= config.bin %> ws sw my-feature)"',
    'eval "$(<%= config.bin %> workspace switch --shell my-feature)"',
  ]

  static override args = { name: workspaceNameArg }

  static override flags = {
    shell: Flags.boolean({
      description: 'Print a line for the shell to eval: cd into the worktree and export NEXUS_WORKSPACE.',
    }),
    previous: Flags.string({
      description: 'What to do with the workspace you leave, instead of config switch.previous.',
      options: [...POLICIES],
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspaceSwitch)
    if (flags.shell && flags.json) {
      throw new NexusError(
        'INVALID_ARGUMENT',
        '--shell and --json both print to stdout and cannot be combined.',
        {
          suggestion: 'Use --shell to eval the result in a shell, or --json to read it from a script.',
        },
      )
    }
    const options = flags.previous ? { previous: flags.previous as SwitchPolicy } : {}
    const result = await this.runNexus(
      flags,
      (nexus) => nexus.manager.switch(args.name, options),
      (switched) => (flags.shell ? shellLine(switched) : switched.worktreePath),
    )
    if (!flags.json) process.stderr.write(`${summary(result)}\n`)
  }
}
