import {
  NexusError,
  PROVIDER_API_VERSION,
  supportedCapabilities,
  type BackendResource,
  type Capabilities,
  type CreateRequest,
  type CreateResult,
  type ExecRequest,
  type ExecResult,
  type HealthResult,
  type InspectResult,
  type JsonValue,
  type OperationDescriptor,
  type OperationRequest,
  type Provider,
  type ProviderLeftovers,
  type SshEndpoint,
  type StartResult,
  type Workspace,
} from '@nexus/core'
import { runSpriteOperation, SPRITE_OPERATIONS } from './operations/index.js'
import { diagnoseFor, type SpriteDeps } from './workspace/deps.js'
import { spriteLeftovers } from './workspace/leftovers.js'
import { destroySprite, inspectSprite, listSprites, startSprite, stopSprite } from './workspace/lifecycle.js'
import { spriteOf } from './workspace/naming.js'
import { provisionSprite } from './workspace/provision.js'
import { runOnSprite } from './workspace/run-command.js'

/**
 * Honest about SSH: a sprite has no SSH endpoint (a later local tunnel may add one), so commands and shells go
 * through the Sprites API's exec channel instead.
 */
export const SPRITE_CAPABILITIES: Capabilities = {
  ssh: false,
  exec: true,
  sync: false,
  pause: false,
  snapshots: false,
  checkpoints: true,
  volumes: false,
  images: false,
  networks: false,
  services: true,
  previews: true,
  lsp: false,
  processApi: false,
  fileApi: true,
  logs: false,
  stats: false,
}

/** The sprite backend: one Sprite microVM per workspace, driven through the `@fly/sprites` SDK. */
export class SpriteProvider implements Provider {
  readonly apiVersion = PROVIDER_API_VERSION
  readonly name = 'sprite'

  readonly leftovers: ProviderLeftovers

  constructor(private readonly deps: SpriteDeps) {
    this.leftovers = spriteLeftovers(deps)
  }

  capabilities(): Capabilities {
    return { ...SPRITE_CAPABILITIES }
  }

  operations(): OperationDescriptor[] {
    return SPRITE_OPERATIONS
  }

  create(request: CreateRequest): Promise<CreateResult> {
    return provisionSprite(this.deps, request)
  }

  start(workspace: Workspace): Promise<StartResult> {
    return startSprite(this.deps, workspace)
  }

  stop(workspace: Workspace): Promise<void> {
    return stopSprite(this.deps, workspace)
  }

  async pause(): Promise<void> {
    throw this.unsupported('pause', 'pause workspaces (a sprite suspends itself when idle)')
  }

  async resume(): Promise<void> {
    throw this.unsupported('pause', 'resume workspaces (a sprite wakes on its own when used)')
  }

  destroy(workspace: Workspace): Promise<void> {
    return destroySprite(this.deps, workspace)
  }

  inspect(workspace: Workspace): Promise<InspectResult> {
    return inspectSprite(this.deps, workspace)
  }

  list(): Promise<BackendResource[]> {
    return listSprites(this.deps)
  }

  async sshEndpoint(workspace: Workspace): Promise<SshEndpoint> {
    throw new NexusError(
      'CAPABILITY_NOT_SUPPORTED',
      `Sprite workspaces have no SSH endpoint ("${workspace.name}").`,
      {
        suggestion: `Open a shell with \`nexus workspace ssh ${workspace.name}\` (a terminal through the Sprites API) or run commands with \`nexus workspace exec ${workspace.name} -- <command>\`.`,
        details: { capability: 'ssh', supported: supportedCapabilities(SPRITE_CAPABILITIES) },
      },
    )
  }

  async exec(workspace: Workspace, request: ExecRequest): Promise<ExecResult> {
    if (workspace.status !== 'running') {
      throw new NexusError('WORKSPACE_NOT_RUNNING', `Workspace "${workspace.name}" is ${workspace.status}.`, {
        suggestion: `Start it with \`nexus workspace start ${workspace.name}\`.`,
      })
    }
    const { sprite: name, workdir } = spriteOf(workspace)
    const sprite = await this.deps.api.sprite(name)
    const exitCode = await runOnSprite(
      sprite,
      { argv: request.command, cwd: request.cwd ?? workdir, ...(request.env ? { env: request.env } : {}) },
      {
        stdout: request.stdout,
        stderr: request.stderr,
        ...(request.stdin ? { stdin: request.stdin } : {}),
        ...(request.tty ? { tty: true } : {}),
        ...(request.terminalSize ? { terminalSize: request.terminalSize } : {}),
        ...(request.onResize ? { onResize: request.onResize } : {}),
      },
      diagnoseFor(this.deps, name, workspace.name),
    )
    return { exitCode }
  }

  async health(): Promise<HealthResult> {
    const { api } = this.deps
    if (!api.hasToken) {
      return {
        ok: false,
        configured: false,
        message:
          'No Sprites token: set SPRITE_TOKEN or run `nexus config set backends.sprite.token <token>`.',
      }
    }
    try {
      await api.call('list sprites', (client) => client.listSprites({ maxResults: 1 }))
      return { ok: true, message: `The Sprites API at ${api.config.apiUrl} accepts the token.` }
    } catch (error) {
      return {
        ok: false,
        configured: false,
        message: (error as Error).message,
        details: { code: (error as NexusError).code ?? null },
      }
    }
  }

  runOperation(request: OperationRequest): Promise<JsonValue> {
    return runSpriteOperation(this.deps, request)
  }

  private unsupported(capability: string, action: string): NexusError {
    return new NexusError('CAPABILITY_NOT_SUPPORTED', `The sprite backend cannot ${action}.`, {
      suggestion: `Stop it with \`nexus workspace stop <name>\` instead; it supports: ${supportedCapabilities(SPRITE_CAPABILITIES).join(', ')}.`,
      details: { capability, supported: supportedCapabilities(SPRITE_CAPABILITIES) },
    })
  }
}
