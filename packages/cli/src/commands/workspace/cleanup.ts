import { createInterface } from 'node:readline/promises'
import { Flags } from '@oclif/core'
import { NexusError, dryRunResult, executeCleanup, planCleanup, type CleanupResult } from '@nexus/core'
import { NexusCommand } from '../../base-command.js'
import { renderCleanup } from '../../render/repair.js'

async function confirm(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim())
  } finally {
    prompt.close()
  }
}

export default class WorkspaceCleanup extends NexusCommand {
  static override summary =
    'Remove leftovers: backend resources of workspaces nexus has no record of, dead locks, stale port reservations, dangling images.'
  static override description =
    'Lists what it will remove before removing anything. On a terminal it asks; elsewhere (scripts, --json) it removes only with --yes and otherwise lists, like --dry-run. A workspace with a record is never touched, and neither is an unreadable record (`nexus workspace repair --all` judges those). Docker resources of every repository on the engine are looked at; --repo-only limits it to the current one.\n\nWith --json: { dryRun, items: [{ kind, backend, what, id, name, workspaceId, reason, outcome, note? }], skipped }.'
  static override hiddenAliases = ['ws:cleanup']
  static override examples = [
    '<%= config.bin %> workspace cleanup --dry-run',
    '<%= config.bin %> workspace cleanup --yes --json',
  ]

  static override flags = {
    'dry-run': Flags.boolean({ description: 'Only list the leftovers.' }),
    yes: Flags.boolean({ char: 'y', description: 'Remove without asking.' }),
    'repo-only': Flags.boolean({
      description: 'Only leftovers made for the repository of the current directory.',
    }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(WorkspaceCleanup)
    let unconfirmed = false
    await this.runNexus(
      flags,
      async (nexus): Promise<CleanupResult> => {
        const repoRoot = flags['repo-only'] ? await nexus.manager.currentRepo() : undefined
        if (flags['repo-only'] && !repoRoot) {
          throw new NexusError(
            'NOT_A_GIT_REPOSITORY',
            '--repo-only needs a repository, and this directory is in none.',
            {
              suggestion: 'Run it from inside the repository, or drop --repo-only.',
            },
          )
        }
        const options = repoRoot ? { repoRoot } : {}
        const plan = await planCleanup(nexus, options)
        if (plan.items.length === 0 || flags['dry-run']) return dryRunResult(plan)
        if (!flags.yes) {
          const interactive = !flags.json && process.stdin.isTTY === true && process.stdout.isTTY === true
          if (!interactive || !(await this.ask(plan.items.length, renderCleanup(dryRunResult(plan))))) {
            unconfirmed = true
            return dryRunResult(plan)
          }
        }
        const result = await executeCleanup(nexus, plan, options)
        const failed = result.items.filter((i) => i.outcome === 'failed')
        if (failed.length > 0) {
          if (!flags.json) process.stdout.write(`${renderCleanup(result)}\n`)
          throw new NexusError(
            'BACKEND_ERROR',
            `Cleanup could not remove ${failed.length} of ${result.items.length} leftovers.`,
            {
              suggestion: `Check the backend (\`nexus doctor\`), then run \`nexus workspace cleanup\` again.`,
              details: { result },
            },
          )
        }
        return result
      },
      (result) => renderCleanup(result, unconfirmed),
    )
  }

  private async ask(count: number, listing: string): Promise<boolean> {
    process.stderr.write(`${listing.split('\n\n')[0]}\n`)
    return confirm(`Remove these ${count} leftover(s)? [y/N] `)
  }
}
