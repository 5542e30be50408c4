import { Flags } from '@oclif/core'
import { MockCommand } from '../../../../cli/mock-command.js'

export default class MockEcho extends MockCommand {
  static override summary = 'Print a message back through printf on the host (a provider-scoped operation).'
  static override description =
    'Runs the mock.echo operation, which needs no workspace: only the exec capability.'
  static override examples = ['<%= config.bin %> workspace provider mock echo --message "hello"']
  static override flags = {
    message: Flags.string({ char: 'm', required: true, description: 'Text to print back.' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(MockEcho)
    await this.runNexus(
      flags,
      (nexus) =>
        nexus.manager.runOperation({ backend: 'mock', id: 'mock.echo', params: { message: flags.message } }),
      (result) => (result as { message: string }).message,
    )
  }
}
