import { runDoctor, type CommandEntry, type DoctorCheck, type DoctorReport } from '@nexus/core'
import { NexusCommand } from '../base-command.js'

const MARKS: Record<DoctorCheck['status'], string> = { ok: '✔', warn: '!', fail: '✖' }

export function renderDoctorReport(report: DoctorReport): string {
  const lines = report.checks.flatMap((check) => [
    `${MARKS[check.status]} ${check.id}: ${check.message}`,
    ...(check.fix && check.status !== 'ok' ? [`  → ${check.fix}`] : []),
  ])
  const failed = report.checks.filter((c) => c.status === 'fail').length
  const warned = report.checks.filter((c) => c.status === 'warn').length
  lines.push(
    '',
    failed === 0
      ? `No problems found${warned ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}.`
      : `${failed} problem${failed === 1 ? '' : 's'} found.`,
  )
  return lines.join('\n')
}

export default class Doctor extends NexusCommand {
  static override summary =
    'Check that nexus can work here: Node, git, config, plugins, backends, keys, state, ports and leftovers.'
  static override description =
    'Prints one line per check with what to do about each problem. Exits 1 when any check fails; warnings do not fail. With --json, prints the report ({ ok, checks }) as one document, also when it fails.'
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json']

  async run(): Promise<void> {
    const { flags } = await this.parse(Doctor)
    // Not runNexus: that builds nexus first and would turn a broken config into an error document, while a broken
    // config is one of the things the report is for.
    const report = await this.runStandalone(
      flags,
      () => runDoctor({ hooks: this.hooks, commands: this.installedCommands() }),
      renderDoctorReport,
    )
    if (!report.ok) this.exit(1)
  }

  private installedCommands(): CommandEntry[] {
    return this.config
      .getPluginsList()
      .flatMap((plugin) => plugin.commands.map((command) => ({ id: command.id, plugin: plugin.name })))
  }
}
