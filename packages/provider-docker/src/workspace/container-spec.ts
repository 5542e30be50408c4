import type { PortMapping, Workspace } from '@nexus/core'
import type { DockerBackendConfig } from '../config.js'
import type { ContainerSpec, EngineInfo } from '../engine/engine.js'
import type { ServiceDefinition } from '../services/config.js'
import { LABELS, namesFor, workspaceLabels } from './naming.js'
import type { StoredWorkspace } from './store.js'

export const WORKSPACE_DIR = '/workspace'
export const AUTHORIZED_KEYS_IN_CONTAINER = '/etc/nexus/authorized_keys'
export const SSH_CONTAINER_PORT = 22

/**
 * What sshd needs and nothing more (found by dropping one at a time): SETUID and SETGID to become the user,
 * SYS_CHROOT for its privilege-separation chroot, CHOWN to hand the pty to the user, AUDIT_WRITE for the login
 * record without which pty sessions are cut. Port 22 needs no NET_BIND_SERVICE: Docker ≥ 20.10 sets
 * net.ipv4.ip_unprivileged_port_start=0 in containers.
 */
export const SSHD_CAPABILITIES = ['CHOWN', 'SETUID', 'SETGID', 'SYS_CHROOT', 'AUDIT_WRITE'] as const

const GIB = 1024 ** 3

type PortBindings = Record<string, Array<{ HostIp: string; HostPort: string }>>

function publish(
  mappings: PortMapping[],
  containerPortOf: (mapping: PortMapping) => number,
): { exposed: Record<string, object>; bindings: PortBindings } {
  const exposed: Record<string, object> = {}
  const bindings: PortBindings = {}
  for (const mapping of mappings) {
    const key = `${containerPortOf(mapping)}/tcp`
    exposed[key] = {}
    bindings[key] = [...(bindings[key] ?? []), { HostIp: '127.0.0.1', HostPort: String(mapping.hostPort) }]
  }
  return { exposed, bindings }
}

/** The workspace's own ports: ssh → 22, the other non-service mappings → their container port. */
export function workspacePortBindings(workspace: Pick<Workspace, 'ports'>): {
  exposed: Record<string, object>
  bindings: PortBindings
} {
  const own = workspace.ports.filter((mapping) => mapping.service === undefined)
  return publish(own, (mapping) => (mapping.name === 'ssh' ? SSH_CONTAINER_PORT : mapping.containerPort))
}

export function servicePortBindings(
  workspace: Pick<Workspace, 'ports'>,
  service: string,
): { exposed: Record<string, object>; bindings: PortBindings } {
  return publish(
    workspace.ports.filter((mapping) => mapping.service === service),
    (mapping) => mapping.containerPort,
  )
}

export interface WorkspaceContainerInput {
  workspace: Workspace
  stored: StoredWorkspace
  image: { tag: string; user: string }
  authorizedKeysFile: string
  config: DockerBackendConfig
  engine: EngineInfo
}

export function workspaceContainerSpec(input: WorkspaceContainerInput): ContainerSpec {
  const { workspace, stored, config } = input
  const names = namesFor(workspace)
  const { exposed, bindings } = workspacePortBindings(workspace)
  const cpus = Math.min(workspace.resources.cpu, input.engine.cpus)
  const env = {
    ...stored.env,
    NEXUS_WORKSPACE: workspace.name,
    NEXUS_WORKSPACE_ID: workspace.id,
    NEXUS_ENV_KEYS: [...Object.keys(stored.env), 'NEXUS_WORKSPACE', 'NEXUS_WORKSPACE_ID'].join(','),
  }
  return {
    name: names.container,
    Image: input.image.tag,
    Hostname: workspace.name,
    Labels: workspaceLabels(workspace),
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    WorkingDir: WORKSPACE_DIR,
    ExposedPorts: exposed,
    HostConfig: {
      // Mounts rather than Binds: a path with a colon in it stays one path, and a missing source is an error
      // instead of an empty directory Docker creates in its place.
      Mounts: [
        { Type: 'bind', Source: workspace.worktreePath, Target: WORKSPACE_DIR },
        // The worktree's .git file points at <repo>/.git/worktrees/<name> by absolute path: mount it there.
        { Type: 'bind', Source: stored.gitCommonDir, Target: stored.gitCommonDir },
        {
          Type: 'bind',
          Source: input.authorizedKeysFile,
          Target: AUTHORIZED_KEYS_IN_CONTAINER,
          ReadOnly: true,
        },
        ...stored.volumes.map((attached) => ({
          Type: 'volume' as const,
          Source: attached.dockerVolume,
          Target: attached.mount,
        })),
      ],
      PortBindings: bindings,
      NanoCpus: cpus > 0 ? Math.round(cpus * 1e9) : 0,
      Memory: workspace.resources.memory > 0 ? Math.round(workspace.resources.memory * GIB) : 0,
      PidsLimit: 4096,
      CapDrop: ['ALL'],
      CapAdd: [...new Set([...SSHD_CAPABILITIES, ...config.capAdd])],
      SecurityOpt: config.noNewPrivileges ? ['no-new-privileges:true'] : [],
      // An init reaps what SSH sessions and execs leave behind; sshd only waits for its own children.
      Init: true,
      RestartPolicy: { Name: 'no' },
    },
    NetworkingConfig: { EndpointsConfig: { [names.network]: { Aliases: [workspace.name] } } },
  }
}

export function serviceContainerSpec(workspace: Workspace, service: ServiceDefinition): ContainerSpec {
  const names = namesFor(workspace)
  const { exposed, bindings } = servicePortBindings(workspace, service.name)
  return {
    name: names.service(service.name),
    Image: service.image,
    ...(service.command ? { Cmd: service.command } : {}),
    Env: Object.entries(service.env).map(([key, value]) => `${key}=${value}`),
    Labels: { ...workspaceLabels(workspace), [LABELS.service]: service.name },
    ExposedPorts: exposed,
    ...(service.healthcheck ? { Healthcheck: service.healthcheck } : {}),
    HostConfig: {
      Binds: service.mounts.map((mount) => {
        const source = mount.kind === 'volume' ? names.volume(mount.volume) : mount.source
        return `${source}:${mount.target}${mount.readOnly ? ':ro' : ''}`
      }),
      PortBindings: bindings,
      RestartPolicy: { Name: 'no' },
    },
    NetworkingConfig: { EndpointsConfig: { [names.network]: { Aliases: [service.name] } } },
  }
}

/** True when the container publishes exactly the ports the record asks for (core may have moved them while stopped). */
export function publishesPorts(
  actual: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | undefined,
  wanted: PortBindings,
): boolean {
  const normalize = (
    bindings: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | undefined,
  ) =>
    Object.entries(bindings ?? {})
      .flatMap(([port, hosts]) =>
        (hosts ?? []).map((host) => `${port}>${host.HostIp ?? ''}:${host.HostPort ?? ''}`),
      )
      .sort()
      .join(',')
  return normalize(actual) === normalize(wanted)
}
