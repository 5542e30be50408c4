import { Flags } from '@oclif/core'
import { shellQuote, type JsonObject } from '@nexus/core'
import { DaytonaCommand } from '../../../../../cli/daytona-command.js'
import { workspaceArg } from '../../../../../cli/flags.js'

export default class DaytonaProcessExecute extends DaytonaCommand {
  static override summary =
    "Run a command through Daytona's Process API; prints its output and exits with its status."
  static override description =
    'stdout and stderr come back combined (a Daytona limitation); use `nexus workspace exec` to keep them apart.'
  static override usage = [
    'workspace provider daytona process execute <workspace> [--cwd <dir>] -- <command> [args…]',
  ]
  static override examples = [
    '<%= config.bin %> workspace provider daytona process execute my-feature -- npm test',
  ]
  static override strict = false
  static override args = { workspace: workspaceArg }
  static override flags = {
    cwd: Flags.string({ description: "Working directory (default: the workspace's code)." }),
  }

  async run(): Promise<void> {
    const { args, flags, argv } = await this.parse(DaytonaProcessExecute)
    const words = (argv as string[]).slice(1)
    // One word is taken as a command line (`-- "make && make test"`); several are an argv, quoted as given.
    const command = words.length === 1 ? (words[0] ?? '') : words.map(shellQuote).join(' ')
    let exitCode = 0
    await this.runOperation(
      flags,
      'daytona.process.execute',
      args.workspace,
      { command, cwd: flags.cwd },
      (result) => {
        const ran = result as JsonObject
        exitCode = typeof ran.exitCode === 'number' ? ran.exitCode : 0
        return String(ran.output ?? '').replace(/\n$/, '')
      },
    )
    if (exitCode !== 0) this.exit(exitCode)
  }
}
