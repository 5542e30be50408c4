import { isAbsolute, normalize } from 'node:path'
import { NexusError, type JsonObject, type OperationParams, type Workspace } from '@nexus/core'
import { engineStatusOf } from '../engine/errors.js'
import { AUTHORIZED_KEYS_IN_CONTAINER, WORKSPACE_DIR } from '../workspace/container-spec.js'
import { LABELS, namesFor, workspaceLabels } from '../workspace/naming.js'
import { storedSpecFor, type DockerDeps } from '../workspace/provision.js'
import { recreateWorkspaceContainer } from './recreate.js'

const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

function volumeParam(params: OperationParams): string {
  const volume = String(params.volume ?? '')
  if (!VOLUME_NAME.test(volume)) {
    throw new NexusError('INVALID_ARGUMENT', `"${volume}" is not a valid volume name.`, {
      suggestion: 'Use letters, digits, dots, dashes and underscores, starting with a letter or digit.',
    })
  }
  return volume
}

/** Mount points that would hide what the workspace is made of. */
function mountParam(params: OperationParams, gitCommonDir: string): string {
  const raw = String(params.mount ?? '')
  const mount = normalize(raw).replace(/\/+$/, '')
  const clashes = [WORKSPACE_DIR, gitCommonDir, AUTHORIZED_KEYS_IN_CONTAINER, '/etc/nexus']
  const clash = clashes.find(
    (path) => mount === path || path.startsWith(`${mount}/`) || mount.startsWith(`${path}/`),
  )
  if (!isAbsolute(raw) || mount === '' || clash) {
    throw new NexusError(
      'INVALID_ARGUMENT',
      `"${raw}" cannot be a mount point${clash ? `: it overlaps ${clash}` : ''}.`,
      {
        suggestion: 'Choose an absolute path of its own, e.g. /data or /home/nexus/.cache.',
      },
    )
  }
  return mount
}

async function ensureVolume(
  deps: DockerDeps,
  workspace: Workspace,
  volume: string,
  size?: number,
): Promise<{ dockerVolume: string; created: boolean }> {
  const dockerVolume = namesFor(workspace).volume(volume)
  if (await deps.engine.inspectVolume(dockerVolume)) return { dockerVolume, created: false }
  if (size !== undefined && deps.config.volumeDriver === 'local') {
    throw new NexusError('INVALID_ARGUMENT', "Docker's local volume driver cannot limit a volume's size.", {
      suggestion: 'Leave out --size, or set backends.docker.volume_driver to a driver that supports sizes.',
    })
  }
  const options: Record<string, string> = size !== undefined ? { size: `${size}G` } : {}
  const driver =
    deps.config.volumeDriver === 'local' ? undefined : { name: deps.config.volumeDriver, options }
  await deps.engine.createVolume(
    dockerVolume,
    { ...workspaceLabels(workspace), [LABELS.volume]: volume },
    driver,
  )
  return { dockerVolume, created: true }
}

export async function createVolume(
  deps: DockerDeps,
  workspace: Workspace,
  params: OperationParams,
): Promise<JsonObject> {
  const volume = volumeParam(params)
  const size = typeof params.size === 'number' ? params.size : undefined
  const { dockerVolume, created } = await ensureVolume(deps, workspace, volume, size)
  return { volume, dockerVolume, created }
}

export async function attachVolume(
  deps: DockerDeps,
  workspace: Workspace,
  params: OperationParams,
): Promise<JsonObject> {
  const volume = volumeParam(params)
  const warnings: string[] = []
  const stored = await storedSpecFor(deps, workspace, warnings)
  const mount = mountParam(params, stored.gitCommonDir)
  const taken = stored.volumes.find((attached) => attached.mount === mount && attached.volume !== volume)
  if (taken) {
    throw new NexusError('INVALID_ARGUMENT', `Volume ${taken.volume} is already mounted at ${mount}.`, {
      suggestion: `Detach it first (\`nexus workspace provider docker volume detach ${workspace.name} --volume ${taken.volume}\`), or choose another mount.`,
    })
  }
  if (stored.volumes.some((attached) => attached.volume === volume && attached.mount === mount)) {
    return { volume, mount, attached: true, changed: false }
  }
  const { dockerVolume, created } = await ensureVolume(deps, workspace, volume)
  stored.volumes = [
    ...stored.volumes.filter((attached) => attached.volume !== volume),
    { volume, dockerVolume, mount },
  ]
  await deps.store.write(workspace.id, stored)
  const { running } = await recreateWorkspaceContainer(deps, workspace, stored)
  return {
    volume,
    dockerVolume,
    mount,
    attached: true,
    changed: true,
    created,
    recreated: true,
    running,
    ...(warnings.length ? { warnings } : {}),
  }
}

export async function detachVolume(
  deps: DockerDeps,
  workspace: Workspace,
  params: OperationParams,
): Promise<JsonObject> {
  const volume = volumeParam(params)
  const stored = await storedSpecFor(deps, workspace, [])
  if (!stored.volumes.some((attached) => attached.volume === volume))
    return { volume, detached: false, note: 'It was not attached.' }
  stored.volumes = stored.volumes.filter((attached) => attached.volume !== volume)
  await deps.store.write(workspace.id, stored)
  const { running } = await recreateWorkspaceContainer(deps, workspace, stored)
  return { volume, detached: true, recreated: true, running }
}

export async function deleteVolume(
  deps: DockerDeps,
  workspace: Workspace,
  params: OperationParams,
): Promise<JsonObject> {
  const volume = volumeParam(params)
  const stored = await storedSpecFor(deps, workspace, [])
  if (stored.volumes.some((attached) => attached.volume === volume)) {
    throw new NexusError(
      'INVALID_ARGUMENT',
      `Volume ${volume} is attached to workspace "${workspace.name}".`,
      {
        suggestion: `Detach it first: \`nexus workspace provider docker volume detach ${workspace.name} --volume ${volume}\`.`,
      },
    )
  }
  const dockerVolume = namesFor(workspace).volume(volume)
  try {
    const deleted = await deps.engine.removeVolume(dockerVolume)
    return { volume, dockerVolume, deleted }
  } catch (error) {
    if (engineStatusOf(error) !== 409) throw error
    throw new NexusError(
      'INVALID_ARGUMENT',
      `Volume ${dockerVolume} is still mounted by a container of the workspace (a service's volume).`,
      {
        suggestion:
          "Remove it from the service's volumes in your config and restart the workspace, or destroy the workspace with --remove-volumes.",
        cause: error,
      },
    )
  }
}
