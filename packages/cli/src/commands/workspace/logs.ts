import { Flags } from '@oclif/core'
import { NexusError } from '@nexus/core'
import { NexusCommand } from '../../base-command.js'
import { TextCollector } from '../../exec-io.js'
import { positiveIntegerFlag, workspaceNameArg } from '../../flags.js'

export default class WorkspaceLogs extends NexusCommand {
  static override summary = "Show a workspace's logs."
  static override description =
    'With --json, prints {"stdout", "stderr"}; --follow cannot be combined with it.\n\nAliases: `nexus ws logs`.'
  static override hiddenAliases = ['ws:logs']
  static override examples = [
    '<%= config.bin %> workspace logs my-feature --tail 100',
    '<%= config.bin %> workspace logs my-feature --follow --since 10m',
  ]

  static override args = { name: workspaceNameArg }

  static override flags = {
    follow: Flags.boolean({ char: 'f', description: 'Keep printing new lines until interrupted.' }),
    tail: positiveIntegerFlag({ char: 'n', description: 'Only the last n lines.' }),
    since: Flags.string({ description: 'Only lines since an ISO time or a duration like 10m.' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspaceLogs)
    await this.runNexus(flags, async (nexus) => {
      if (flags.follow && flags.json) {
        throw new NexusError(
          'INVALID_ARGUMENT',
          '--follow never ends, so it cannot produce one JSON document.',
          {
            suggestion: 'Drop --json to follow the logs, or drop --follow to get them as JSON.',
          },
        )
      }
      const captured = flags.json ? { stdout: new TextCollector(), stderr: new TextCollector() } : undefined
      await nexus.manager.logs(args.name, {
        follow: flags.follow,
        ...(flags.tail !== undefined ? { tail: flags.tail } : {}),
        ...(flags.since ? { since: flags.since } : {}),
        stdout: captured?.stdout ?? process.stdout,
        stderr: captured?.stderr ?? process.stderr,
      })
      return captured ? { stdout: captured.stdout.text(), stderr: captured.stderr.text() } : undefined
    })
  }
}
