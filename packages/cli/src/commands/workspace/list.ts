import { Flags } from '@oclif/core'
import { WORKSPACE_STATUSES, type ListFilter, type WorkspaceStatus } from '@nexus/core'
import { NexusCommand } from '../../base-command.js'
import { parseKeyValues } from '../../flags.js'
import { renderList } from '../../render/workspace.js'

export default class WorkspaceList extends NexusCommand {
  static override summary = 'List workspaces.'
  static override description =
    'Inside a repository, its workspaces; elsewhere (or with --all), those of every repository. Workspaces recorded running or paused are checked with their backend, so the STATUS column shows the truth after a crash or an engine restart; --cached reads nexus state only.\n\nAliases: `nexus workspace ls`, `nexus ws list`, `nexus ws ls`.'
  static override hiddenAliases = ['workspace:ls', 'ws:list', 'ws:ls']
  static override examples = [
    '<%= config.bin %> workspace ls',
    '<%= config.bin %> workspace list --status running --label team=web --json',
  ]

  static override flags = {
    status: Flags.string({
      description: 'Only workspaces with this status.',
      options: [...WORKSPACE_STATUSES],
    }),
    backend: Flags.string({ description: 'Only workspaces on this backend.' }),
    label: Flags.string({
      description: 'Only workspaces with this label: key=value (repeatable, all must match).',
      multiple: true,
    }),
    all: Flags.boolean({ char: 'a', description: 'Workspaces of every repository.' }),
    cached: Flags.boolean({
      description: 'Show recorded statuses only, without asking any backend (fastest).',
    }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(WorkspaceList)
    let repoScoped = false
    await this.runNexus(
      flags,
      async (nexus) => {
        const repoRoot = flags.all ? undefined : await nexus.manager.currentRepo()
        repoScoped = repoRoot !== undefined
        const filter: ListFilter = {
          ...(repoRoot ? { repoRoot } : {}),
          ...(flags.status ? { status: flags.status as WorkspaceStatus } : {}),
          ...(flags.backend ? { backend: flags.backend } : {}),
          labels: parseKeyValues(flags.label, 'label'),
        }
        if (flags.cached) return (await nexus.manager.list(filter)).map((w) => ({ ...w, observed: null }))
        return nexus.manager.listObserved(filter)
      },
      (workspaces) => renderList(workspaces, !repoScoped),
    )
  }
}
