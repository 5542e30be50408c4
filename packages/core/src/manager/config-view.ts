import type { LoadedConfig } from '../config/index.js'
import type { PortRange } from '../ports/index.js'
import type { JsonObject, ResourceClass } from '../workspace/index.js'

/** The few config values workspace operations read, in one place so the rest of the manager stays schema-agnostic. */
export interface ManagerConfig {
  defaultBackend: string
  defaultResources: ResourceClass
  ports: Record<string, { container: number; host?: number }>
  services: Record<string, { ports?: Array<number | string> }>
  env: Record<string, string>
  envFiles: string[]
  includeAgentKeys: boolean
  forwardAgent: boolean
  execTransport: 'auto' | 'ssh' | 'native'
  stopGraceSeconds: number
  portRange: PortRange | undefined
  backendSection(name: string): JsonObject
}

export function managerConfig(loaded: LoadedConfig): ManagerConfig {
  const config = loaded.config
  return {
    defaultBackend: config.defaults.backend,
    defaultResources: config.defaults.resources,
    ports: config.ports,
    services: config.services,
    env: config.env,
    envFiles: config.env_files,
    includeAgentKeys: config.ssh.injection.include_agent_keys,
    forwardAgent: config.ssh.forward_agent,
    execTransport: config.exec.transport,
    stopGraceSeconds: config.lifecycle.stop_grace_seconds,
    portRange: config.ports_range,
    backendSection: (name) => (config.backends[name] ?? {}) as JsonObject,
  }
}
