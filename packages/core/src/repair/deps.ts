import type { Actor } from '../app/types.js'
import type { Nexus } from '../app/index.js'
import type { ManagerDeps } from '../manager/index.js'

/** The manager's dependencies from a command's Nexus, for repair (which works below the manager's locks). */
export function repairDeps(
  nexus: Nexus,
  cwd = process.cwd(),
  env: Record<string, string | undefined> = process.env,
): ManagerDeps {
  const actor: Actor = env.NEXUS_ACTOR === 'agent' || env.NEXUS_ACTOR === 'system' ? env.NEXUS_ACTOR : 'user'
  return {
    state: nexus.state,
    registry: nexus.registry,
    loaded: nexus.loaded,
    reporter: nexus.reporter,
    actor,
    cwd,
    env,
  }
}
