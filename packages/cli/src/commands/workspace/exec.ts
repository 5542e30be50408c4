import { Flags } from '@oclif/core'
import { NexusCommand } from '../../base-command.js'
import { commandIo, releaseStdin, type CapturedRun } from '../../exec-io.js'
import { argvAfterSeparator, parseKeyValues, workspaceNameArg } from '../../flags.js'

export default class WorkspaceExec extends NexusCommand {
  static override summary = 'Run a command in a workspace, with its exit code.'
  static override description =
    'Everything after `--` is the command, passed verbatim. Output is streamed; stdin is passed through when it is ' +
    'a pipe or file. With --json, output is captured and printed as {"exitCode", "stdout", "stderr"}.\n\nAliases: `nexus ws exec`.'
  static override hiddenAliases = ['ws:exec']
  static override strict = false
  static override usage = ['workspace exec <name> [--env KEY=VALUE]… [--tty] -- <command> [args…]']
  static override examples = [
    '<%= config.bin %> workspace exec my-feature -- npm test',
    "<%= config.bin %> workspace exec my-feature --json -- sh -c 'git status --short'",
  ]

  static override args = { name: workspaceNameArg }

  static override flags = {
    env: Flags.string({
      char: 'e',
      description: 'Set an environment variable for the command: KEY=VALUE (repeatable).',
      multiple: true,
    }),
    tty: Flags.boolean({
      char: 't',
      allowNo: true,
      description: 'Allocate a pseudo-terminal (default: when nexus runs on one, and not with --json).',
    }),
  }

  // The likeliest mistake is a command whose own flags oclif took for ours.
  protected override usageSuggestion(): string {
    return 'Put the command after `--`, e.g. `nexus workspace exec <name> -- ls -la` (see `nexus workspace exec --help`).'
  }

  async run(): Promise<void> {
    const { args, argv, flags } = await this.parse(WorkspaceExec)
    const command = argvAfterSeparator(this.argv) ?? argv.slice(1).map(String)
    const { captured, ...io } = commandIo(flags.json, flags.tty)
    let exitCode = 0
    await this.runNexus(flags, async (nexus): Promise<CapturedRun | number> => {
      const env = parseKeyValues(flags.env, 'env')
      // An interactive exec is someone at a prompt in the workspace: `destroy` must not pull it away unasked.
      const session = io.tty ? await nexus.manager.attachSession(args.name, 'exec') : undefined
      exitCode = await nexus.manager
        .exec(args.name, { command, ...io, ...(Object.keys(env).length > 0 ? { env } : {}) })
        .finally(async () => {
          releaseStdin(io)
          await session?.release()
        })
      return captured
        ? { exitCode, stdout: captured.stdout.text(), stderr: captured.stderr.text() }
        : exitCode
    })
    if (exitCode !== 0) this.exit(exitCode)
  }
}
