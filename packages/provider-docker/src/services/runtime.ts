import { NexusError, type Reporter, type Workspace } from '@nexus/core'
import type { ContainerDetails, Engine } from '../engine/engine.js'
import { pollUntil, type Clock } from '../engine/retry.js'
import { LABELS, MANAGED_BY, namesFor, workspaceLabels } from '../workspace/naming.js'
import { publishesPorts, serviceContainerSpec, servicePortBindings } from '../workspace/container-spec.js'
import { startLevels, type ServiceDefinition } from './config.js'

async function ensureServiceImage(
  engine: Engine,
  reporter: Reporter,
  service: ServiceDefinition,
): Promise<void> {
  if (await engine.inspectImage(service.image)) return
  const done = reporter.step(`Pulling ${service.image} for service ${service.name}`)
  try {
    await engine.pullImage(service.image, (event) => reporter.debug(event.text))
    done('done')
  } catch (error) {
    done('failed')
    throw new NexusError(
      'BACKEND_ERROR',
      `The image ${service.image} of service ${service.name} is missing and could not be pulled.`,
      {
        suggestion: `Load or build it locally (\`docker load\`, \`docker build -t ${service.image} .\`), or change services.${service.name}.image.`,
        cause: error,
      },
    )
  }
}

async function ensureServiceVolumes(
  engine: Engine,
  workspace: Workspace,
  service: ServiceDefinition,
): Promise<void> {
  const names = namesFor(workspace)
  await Promise.all(
    service.mounts.map(async (mount) => {
      if (mount.kind !== 'volume') return
      const name = names.volume(mount.volume)
      if (await engine.inspectVolume(name)) return
      await engine.createVolume(name, {
        ...workspaceLabels(workspace),
        [LABELS.volume]: mount.volume,
        [LABELS.service]: service.name,
      })
    }),
  )
}

/**
 * Makes sure each service has an image, its volumes, and a container publishing the ports the record asks for
 * (recreating one whose image or ports changed).
 */
export async function provisionServices(
  engine: Engine,
  reporter: Reporter,
  workspace: Workspace,
  services: ServiceDefinition[],
): Promise<void> {
  const names = namesFor(workspace)
  await Promise.all(
    services.map(async (service) => {
      const name = names.service(service.name)
      const [existing] = await Promise.all([
        engine.inspectContainer(name),
        ensureServiceImage(engine, reporter, service),
        ensureServiceVolumes(engine, workspace, service),
      ])
      if (existing && isCurrentServiceContainer(existing, workspace, service)) return
      if (existing) await engine.removeContainer(name, { force: true })
      await engine.createContainer(serviceContainerSpec(workspace, service))
    }),
  )
}

function isCurrentServiceContainer(
  existing: ContainerDetails,
  workspace: Workspace,
  service: ServiceDefinition,
): boolean {
  const labels = existing.Config.Labels ?? {}
  if (labels[LABELS.workspaceId] !== workspace.id) {
    throw new NexusError(
      'WORKSPACE_ALREADY_EXISTS',
      `Docker already has a container named ${existing.Name.replace(/^\//, '')} that nexus did not make for this workspace.`,
      {
        suggestion: `Remove it with \`docker rm -f ${existing.Name.replace(/^\//, '')}\`, or choose another workspace name.`,
      },
    )
  }
  return (
    existing.Config.Image === service.image &&
    publishesPorts(existing.HostConfig.PortBindings, servicePortBindings(workspace, service.name).bindings)
  )
}

/** Service containers of the workspace whose service is no longer in the config. */
export async function removeStaleServices(
  engine: Engine,
  workspace: Workspace,
  services: ServiceDefinition[],
): Promise<void> {
  const wanted = new Set(services.map((service) => namesFor(workspace).service(service.name)))
  const existing = await engine.listContainers([
    `${LABELS.managedBy}=${MANAGED_BY}`,
    `${LABELS.workspaceId}=${workspace.id}`,
    LABELS.service,
  ])
  await Promise.all(
    existing
      .map((container) => (container.Names[0] ?? '').replace(/^\//, ''))
      .filter((name) => name && !wanted.has(name))
      .map((name) => engine.removeContainer(name, { force: true })),
  )
}

/**
 * Resolves once the container reports healthy (or has no healthcheck). Throws when it turns unhealthy, exits, or
 * is not healthy within the timeout.
 */
export async function waitHealthy(
  engine: Engine,
  container: string,
  service: string,
  timeoutMs: number,
  clock?: Clock,
): Promise<void> {
  let last = 'starting'
  const outcome = await pollUntil(
    async () => {
      const details = await engine.inspectContainer(container)
      if (!details) return 'gone'
      if (!details.State.Running) return `exited with code ${details.State.ExitCode}`
      const health = details.State.Health?.Status
      if (!health || health === 'healthy') return 'healthy'
      if (health === 'unhealthy') return 'unhealthy'
      last = health
      return undefined
    },
    { intervalMs: 100, timeoutMs, ...(clock ? { clock } : {}) },
  )
  if (outcome === 'healthy') return
  throw new NexusError(
    'WORKSPACE_START_FAILED',
    `Service ${service} did not become healthy (${outcome ?? `still ${last} after ${Math.round(timeoutMs / 1000)} s`}).`,
    {
      suggestion: `Read its output with \`docker logs ${container}\`, then fix services.${service} in your config.`,
      details: { service, container },
    },
  )
}

/**
 * Starts the services level by level (depends_on). A level waits for the health of the services a later level
 * depends on; the health of the rest is left to the returned promise, so the workspace container can start meanwhile.
 */
export async function startServices(
  engine: Engine,
  workspace: Workspace,
  services: ServiceDefinition[],
  timeoutMs: number,
  clock?: Clock,
): Promise<() => Promise<void>> {
  const names = namesFor(workspace)
  const depended = new Set(services.flatMap((service) => service.dependsOn))
  const pending: Array<Promise<void>> = []
  for (const level of startLevels(services)) {
    await Promise.all(level.map((service) => engine.startContainer(names.service(service.name))))
    const waits = level.map((service) => ({
      service,
      wait: () => waitHealthy(engine, names.service(service.name), service.name, timeoutMs, clock),
    }))
    await Promise.all(waits.filter(({ service }) => depended.has(service.name)).map(({ wait }) => wait()))
    for (const { service, wait } of waits) if (!depended.has(service.name)) pending.push(wait())
  }
  // Attach handlers now so a failure that lands before the caller awaits does not count as unhandled.
  const all = Promise.all(pending).then(() => undefined)
  all.catch(() => undefined)
  return () => all
}
