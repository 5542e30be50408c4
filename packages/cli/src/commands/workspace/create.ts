import { Flags } from '@oclif/core'
import {
  RESOURCE_CLASSES,
  parseSnapshotSource,
  type CreateWorkspaceOptions,
  type JsonValue,
  type ResourceClass,
} from '@nexus/core'
import { NexusCommand } from '../../base-command.js'
import { nonNegativeIntegerFlag, parseKeyValues, positiveNumberFlag, workspaceNameArg } from '../../flags.js'
import { renderCreated } from '../../render/workspace.js'

export default class WorkspaceCreate extends NexusCommand {
  static override summary = 'Create a workspace: a worktree on branch nexus/<name> plus compute.'
  static override description =
    'Creates the worktree .nexus/worktrees/<name> on a new branch nexus/<name>, reserves a block of host ports, ' +
    'and starts the workspace on the backend (config defaults.backend unless --backend).\n\nAliases: `nexus ws create`.'
  static override hiddenAliases = ['ws:create']
  static override examples = [
    '<%= config.bin %> workspace create my-feature',
    '<%= config.bin %> workspace create api --backend docker --resources medium --port web=3000',
    '<%= config.bin %> workspace create fix --from-branch main --label team=web',
    '<%= config.bin %> workspace create retry --from-snapshot my-feature/before-refactor',
    '<%= config.bin %> workspace create old --reuse-worktree',
  ]

  static override args = { name: workspaceNameArg }

  static override flags = {
    backend: Flags.string({
      char: 'b',
      description: 'Backend to run on (default: config defaults.backend).',
    }),
    'from-branch': Flags.string({
      description: 'Branch or commit the new branch starts from (default: HEAD).',
      exclusive: ['from-snapshot'],
    }),
    'from-snapshot': Flags.string({
      description:
        'Start from a snapshot: <workspace>/<snapshot>, or <snapshot> when one workspace has it. Its commit, files and (same backend) backend state.',
      exclusive: ['from-branch'],
    }),
    resources: Flags.string({
      description: 'Resource class (default: config defaults.resources).',
      options: Object.keys(RESOURCE_CLASSES),
    }),
    cpu: positiveNumberFlag({ description: 'CPUs, overriding the resource class.' }),
    memory: positiveNumberFlag({ description: 'Memory in GiB, overriding the resource class.' }),
    port: Flags.string({
      description: 'Publish a port: name=container[:host] (repeatable).',
      multiple: true,
    }),
    label: Flags.string({ description: 'Label the workspace: key=value (repeatable).', multiple: true }),
    image: Flags.string({ description: 'Image to run, for backends that run images.' }),
    region: Flags.string({ description: 'Region (target) to run in, for remote backends.' }),
    'auto-stop': nonNegativeIntegerFlag({
      description: 'Minutes idle before a remote backend stops the workspace (0 = never).',
    }),
    ephemeral: Flags.boolean({ description: 'Let a remote backend delete the workspace when it stops.' }),
    disk: positiveNumberFlag({ description: 'Disk in GiB, for backends that size disks.' }),
    from: Flags.string({
      description: 'Git URL the backend clones inside the workspace, instead of copying the worktree.',
      exclusive: ['from-snapshot'],
    }),
    branch: Flags.string({ description: 'Branch to clone with --from.', dependsOn: ['from'] }),
    'reuse-worktree': Flags.boolean({
      description: 'When .nexus/worktrees/<name> is left from before, keep working in it as it is.',
      exclusive: ['recreate-worktree'],
    }),
    'recreate-worktree': Flags.boolean({
      description: 'When .nexus/worktrees/<name> is left from before, replace it with a fresh checkout.',
      exclusive: ['reuse-worktree'],
    }),
    force: Flags.boolean({
      char: 'f',
      description: 'With --recreate-worktree: discard files in the old worktree that are not committed.',
      dependsOn: ['recreate-worktree'],
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspaceCreate)
    let sshCapable = false
    await this.runNexus(
      flags,
      async (nexus) => {
        const backendOptions: Record<string, JsonValue> = {
          ...(flags.image ? { image: flags.image } : {}),
          ...(flags.region ? { region: flags.region } : {}),
          ...(flags['auto-stop'] !== undefined ? { autoStop: flags['auto-stop'] } : {}),
          ...(flags.ephemeral ? { ephemeral: true } : {}),
          ...(flags.disk !== undefined ? { disk: flags.disk } : {}),
          ...(flags.from ? { gitUrl: flags.from } : {}),
          ...(flags.branch ? { gitBranch: flags.branch } : {}),
        }
        const options: CreateWorkspaceOptions = {
          name: args.name,
          ...(flags.backend ? { backend: flags.backend } : {}),
          ...(flags['from-branch'] ? { fromBranch: flags['from-branch'] } : {}),
          ...(flags['from-snapshot'] ? { fromSnapshot: parseSnapshotSource(flags['from-snapshot']) } : {}),
          ...(flags.resources ? { resources: flags.resources as ResourceClass } : {}),
          ...(flags.cpu !== undefined ? { cpu: flags.cpu } : {}),
          ...(flags.memory !== undefined ? { memory: flags.memory } : {}),
          ...(flags.port ? { ports: flags.port } : {}),
          labels: parseKeyValues(flags.label, 'label'),
          options: backendOptions,
          ...(flags['reuse-worktree'] ? { leftoverWorktree: 'reuse' as const } : {}),
          ...(flags['recreate-worktree'] ? { leftoverWorktree: 'recreate' as const } : {}),
          ...(flags.force ? { force: true } : {}),
        }
        const workspace = await nexus.manager.create(options)
        const provider = await nexus.registry.get(workspace.backend)
        sshCapable = provider.capabilities().ssh === true
        return workspace
      },
      (workspace) => renderCreated(workspace, sshCapable),
    )
  }
}
