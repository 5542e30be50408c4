import { Help } from '@oclif/core'

/** oclif's help, plus `ws` for the workspace topic: oclif has command aliases but no topic aliases. */
export default class NexusHelp extends Help {
  override async showHelp(argv: string[]): Promise<void> {
    const subject = argv.findIndex((arg) => !arg.startsWith('-'))
    return super.showHelp(argv.map((arg, index) => (index === subject && arg === 'ws' ? 'workspace' : arg)))
  }
}
