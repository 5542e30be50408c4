import { Flags } from '@oclif/core'
import { NexusCommand } from '../../base-command.js'
import { workspaceNameArg } from '../../flags.js'
import { renderDestroyed } from '../../render/workspace.js'

export default class WorkspaceDestroy extends NexusCommand {
  static override summary = 'Destroy a workspace and release its worktree, branch and ports.'
  static override description =
    'Refuses when the worktree has uncommitted changes, unless --force. The branch is deleted only when all its ' +
    'commits are on another branch too; --keep-branch always keeps it. Refuses when the workspace has snapshots, unless --with-snapshots.\n\nAliases: `nexus workspace rm`, `nexus ws destroy`, `nexus ws rm`.'
  static override hiddenAliases = ['workspace:rm', 'ws:destroy', 'ws:rm']
  static override examples = [
    '<%= config.bin %> workspace destroy my-feature',
    '<%= config.bin %> workspace rm my-feature --force --keep-branch',
  ]

  static override args = { name: workspaceNameArg }

  static override flags = {
    force: Flags.boolean({
      char: 'f',
      description: 'Destroy even with uncommitted changes in the worktree (they are lost).',
    }),
    'keep-branch': Flags.boolean({ description: 'Keep the nexus/<name> branch.' }),
    volumes: Flags.boolean({ description: 'Also remove the backend volumes of the workspace.' }),
    'with-snapshots': Flags.boolean({
      description: 'Also delete its snapshots; without it, a workspace that has snapshots is not destroyed.',
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspaceDestroy)
    await this.runNexus(
      flags,
      (nexus) =>
        nexus.manager.destroy(args.name, {
          force: flags.force,
          keepBranch: flags['keep-branch'],
          removeVolumes: flags.volumes,
          withSnapshots: flags['with-snapshots'],
        }),
      renderDestroyed,
    )
  }
}
