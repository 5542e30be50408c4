import { writeSshConfig } from '../ssh/index.js'
import type { SshEndpoint } from '../provider/index.js'
import type { ManagerDeps } from './deps.js'

export function sshAlias(name: string): string {
  return `${name}.nexus`
}

/**
 * Rewrites `$NEXUS_HOME/ssh_config` from state so `ssh <name>.nexus`, scp and IDE Remote-SSH reach every workspace
 * whose backend has a real SSH endpoint. Called after anything that adds, moves or removes an endpoint.
 */
export async function syncSshConfig(deps: ManagerDeps): Promise<string> {
  const entries: Array<{ alias: string; endpoint: SshEndpoint }> = []
  for (const workspace of await deps.state.list()) {
    if (workspace.status === 'destroying' || !deps.registry.has(workspace.backend)) continue
    try {
      const provider = await deps.registry.get(workspace.backend)
      if (provider.capabilities().ssh !== true) continue
      entries.push({ alias: sshAlias(workspace.name), endpoint: await provider.sshEndpoint(workspace) })
    } catch (error) {
      deps.reporter.debug(`ssh_config: skipped ${workspace.name}: ${(error as Error).message}`)
    }
  }
  return writeSshConfig(deps.state.nexusHome, entries)
}
