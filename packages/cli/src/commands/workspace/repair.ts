import { Args, Flags } from '@oclif/core'
import { NexusError, repairDeps, repairWorkspaces, unrepairedError } from '@nexus/core'
import { NexusCommand } from '../../base-command.js'
import { renderRepair } from '../../render/repair.js'

export default class WorkspaceRepair extends NexusCommand {
  static override summary =
    'Bring workspaces back to usable: recreate a missing container, worktree or branch, finish or roll back interrupted commands.'
  static override description =
    'Reconciles each workspace record with its worktree, branch, backend and ports. A missing part is recreated from the record; a create that was killed half-way is rolled back (finished instead when its worktree already holds uncommitted work); a destroy that was killed half-way is finished, but a worktree with uncommitted changes is always kept. Unreadable records are rebuilt from what exists, or moved aside as `.corrupt-<time>`; locks left by dead commands are removed. Never deletes user files.\n\nExits 0 when everything is healthy afterwards, non-zero with the next step when something is left. With --json: { dryRun, ok, checked, actions: [{ subject, problem, action, outcome, code?, next? }] }, or on failure the error document with that report in error.details.report.'
  static override hiddenAliases = ['ws:repair']
  static override examples = [
    '<%= config.bin %> workspace repair my-feature',
    '<%= config.bin %> workspace repair --all --dry-run',
  ]

  static override args = {
    name: Args.string({ name: 'name', required: false, description: 'Workspace name (or --all).' }),
  }

  static override flags = {
    all: Flags.boolean({
      char: 'a',
      description: 'Every workspace, plus records, locks and worktrees that belong to none.',
    }),
    'dry-run': Flags.boolean({
      description: 'List what is wrong and what would be done, without changing anything.',
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspaceRepair)
    await this.runNexus(
      flags,
      async (nexus) => {
        if ((args.name === undefined) === !flags.all) {
          throw new NexusError('INVALID_ARGUMENT', 'Name one workspace, or pass --all (not both).', {
            suggestion: 'Run `nexus workspace repair <name>` or `nexus workspace repair --all`.',
          })
        }
        const report = await repairWorkspaces(repairDeps(nexus), {
          ...(args.name !== undefined ? { name: args.name } : {}),
          dryRun: flags['dry-run'],
        })
        // A recreated container or worktree may have a new endpoint: ask every backend again.
        if (!flags['dry-run'] && report.actions.length > 0) await nexus.manager.refreshSshConfig()
        const unfixed = unrepairedError(report)
        if (unfixed) {
          // The list of what was done matters most when something is left: print it before the error.
          if (!flags.json) process.stdout.write(`${renderRepair(report)}\n`)
          throw unfixed
        }
        return report
      },
      renderRepair,
    )
  }
}
