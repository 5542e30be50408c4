import { NexusError } from '../errors/index.js'
import { LOWEST_HOST_PORT } from './ranges.js'

/** A port a workspace wants: a container port, optionally a fixed host port, optionally owned by a service. */
export interface PortRequest {
  name: string
  containerPort: number
  hostPort?: number
  service?: string
}

const PORT_FLAG = /^([a-z][a-z0-9-]{0,30})=(\d{1,5})(?::(\d{1,5}))?$/

function checkPortNumber(value: number, what: string, source: string): void {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new NexusError(
      'INVALID_ARGUMENT',
      `${what} ${value} in "${source}" is not a port number (1–65535).`,
      {
        suggestion: 'Use --port name=container[:host], e.g. --port web=3000.',
      },
    )
  }
}

export function checkHostPort(hostPort: number, source: string): void {
  checkPortNumber(hostPort, 'Host port', source)
  if (hostPort < LOWEST_HOST_PORT) {
    throw new NexusError(
      'PORT_CONFLICT',
      `Host port ${hostPort} in "${source}" is below ${LOWEST_HOST_PORT}: nexus does not publish privileged ports.`,
      {
        suggestion: `Drop the host part to let nexus choose one (e.g. \`${source.split(':')[0]}\`), or pick a host port ≥ ${LOWEST_HOST_PORT}.`,
      },
    )
  }
}

/** Parses `--port name=container[:host]`. */
export function parsePortFlag(value: string): PortRequest {
  const match = PORT_FLAG.exec(value.trim())
  if (!match) {
    throw new NexusError('INVALID_ARGUMENT', `"${value}" is not a port mapping.`, {
      suggestion: 'Use --port name=container[:host], e.g. --port web=3000 or --port web=3000:8080.',
    })
  }
  const [, name, container, host] = match as unknown as [string, string, string, string | undefined]
  const request: PortRequest = { name, containerPort: Number(container) }
  checkPortNumber(request.containerPort, 'Container port', value)
  if (host !== undefined) {
    request.hostPort = Number(host)
    checkHostPort(request.hostPort, value)
  }
  return request
}

interface ServicePortsConfig {
  ports?: Array<number | string>
}

/** Ports from config (`ports:` and each service's `ports:`), then flags; a later request with the same name wins. */
export function collectPortRequests(
  configPorts: Record<string, { container: number; host?: number }>,
  services: Record<string, ServicePortsConfig>,
  flagPorts: string[],
): PortRequest[] {
  const byName = new Map<string, PortRequest>()
  for (const [name, spec] of Object.entries(configPorts)) {
    const request: PortRequest = { name, containerPort: spec.container }
    if (spec.host !== undefined) {
      checkHostPort(spec.host, `ports.${name}`)
      request.hostPort = spec.host
    }
    byName.set(name, request)
  }
  for (const [service, spec] of Object.entries(services)) {
    const ports = spec.ports ?? []
    ports.forEach((entry, index) => {
      const [hostPart, containerPart] = String(entry).includes(':')
        ? String(entry).split(':')
        : [undefined, String(entry)]
      const name = ports.length === 1 ? service : `${service}-${index + 1}`
      const request: PortRequest = { name, containerPort: Number(containerPart), service }
      checkPortNumber(request.containerPort, 'Container port', `services.${service}.ports`)
      if (hostPart !== undefined) {
        request.hostPort = Number(hostPart)
        checkHostPort(request.hostPort, `services.${service}.ports`)
      }
      byName.set(name, request)
    })
  }
  // A flag overrides config of the same name, but two flags naming one port is a typo, not an override.
  const fromFlags = new Set<string>()
  for (const flag of flagPorts) {
    const request = parsePortFlag(flag)
    if (fromFlags.has(request.name)) {
      throw new NexusError(
        'INVALID_ARGUMENT',
        `The port name "${request.name}" is given twice with --port.`,
        {
          suggestion: `Give each --port its own name, e.g. --port ${request.name}-2=${request.containerPort}.`,
          details: { name: request.name },
        },
      )
    }
    fromFlags.add(request.name)
    byName.set(request.name, request)
  }
  if (byName.has('ssh')) {
    throw new NexusError(
      'INVALID_ARGUMENT',
      'The port name "ssh" is reserved for the workspace\'s SSH server.',
      {
        suggestion: 'Give the port another name.',
      },
    )
  }
  return [...byName.values()]
}
