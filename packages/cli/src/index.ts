/**
 * @nexus/cli is an executable, not a library: provider plugins build their commands on @nexus/core's
 * runNexusCommand, not on this package. The base command's type is exported for tooling that inspects commands.
 */
export type { NexusCommand, OutputFlags } from './base-command.js'
