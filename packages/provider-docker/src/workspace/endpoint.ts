import { NexusError, sshPaths, type SshEndpoint, type Workspace } from '@nexus/core'
import { workspaceUserFor, type HostIdentity } from '../image/builder.js'
import { WORKSPACE_DIR } from './container-spec.js'

export function sshPortOf(workspace: Pick<Workspace, 'name' | 'ports'>): number {
  const ssh = workspace.ports.find((mapping) => mapping.name === 'ssh' && mapping.service === undefined)
  if (!ssh) {
    throw new NexusError('STATE_CORRUPT', `Workspace "${workspace.name}" has no ssh port in its record.`, {
      suggestion: `Repair it with \`nexus workspace repair ${workspace.name}\`.`,
    })
  }
  return ssh.hostPort
}

export function sshEndpointOf(workspace: Workspace, identity: HostIdentity, nexusHome: string): SshEndpoint {
  return {
    host: '127.0.0.1',
    port: sshPortOf(workspace),
    user: workspaceUserFor(identity),
    identity: sshPaths(nexusHome).privateKey,
    forwardAgent: true,
    workdir: WORKSPACE_DIR,
  }
}
