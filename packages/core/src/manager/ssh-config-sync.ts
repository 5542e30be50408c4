import { readFile } from 'node:fs/promises'
import { writeSshConfig, sshPaths } from '../ssh/index.js'
import type { SshEndpoint } from '../provider/index.js'
import { writeFileAtomic } from '../util/atomic-file.js'
import type { ManagerDeps } from './deps.js'

export function sshAlias(name: string): string {
  return `${name}.nexus`
}

interface SshEntry {
  alias: string
  endpoint: SshEndpoint
}

/** What the last sync learnt per workspace id: its entry, or null for none (no SSH, or the backend said no). */
type EndpointCache = Record<string, SshEntry | null>

function cachePath(nexusHome: string): string {
  return `${sshPaths(nexusHome).sshConfig}.json`
}

async function readCache(nexusHome: string): Promise<EndpointCache | undefined> {
  try {
    const parsed = JSON.parse(await readFile(cachePath(nexusHome), 'utf8')) as { entries?: EndpointCache }
    return typeof parsed.entries === 'object' && parsed.entries !== null ? parsed.entries : undefined
  } catch {
    return undefined
  }
}

/**
 * Rewrites `$NEXUS_HOME/ssh_config` from state so `ssh <name>.nexus`, scp and IDE Remote-SSH reach every workspace
 * whose backend has a real SSH endpoint.
 *
 * With `changed`, only that workspace's backend is asked for its endpoint; every other one comes from what the last
 * sync learnt (`ssh_config.json`, 0600 beside it). Asking every backend after every command would load remote SDKs
 * and call remote APIs for workspaces the command never touched. Without `changed` (`nexus workspace ssh-config`),
 * every backend is asked again.
 */
export async function syncSshConfig(deps: ManagerDeps, changed?: string): Promise<string> {
  const home = deps.state.nexusHome
  const known = changed === undefined ? undefined : await readCache(home)
  const learnt: EndpointCache = {}
  for (const workspace of await deps.state.list()) {
    if (workspace.status === 'destroying' || !deps.registry.has(workspace.backend)) continue
    const cached = known?.[workspace.id]
    if (workspace.id !== changed && cached !== undefined) {
      learnt[workspace.id] = cached
      continue
    }
    learnt[workspace.id] = null
    try {
      const provider = await deps.registry.get(workspace.backend)
      if (provider.capabilities().ssh !== true) continue
      learnt[workspace.id] = {
        alias: sshAlias(workspace.name),
        endpoint: await provider.sshEndpoint(workspace),
      }
    } catch (error) {
      deps.reporter.debug(`ssh_config: skipped ${workspace.name}: ${(error as Error).message}`)
    }
  }
  await writeFileAtomic(
    cachePath(home),
    `${JSON.stringify({ version: 1, entries: learnt }, null, 2)}\n`,
    0o600,
  )
  return writeSshConfig(
    home,
    Object.values(learnt).filter((entry): entry is SshEntry => entry !== null),
  )
}
