import {
  NexusError,
  hasErrorCode,
  sshExec,
  sshPaths,
  type ExecRequest,
  type ExecResult,
  type SshEndpoint,
  type Workspace,
} from '@nexus/core'
import type { Sandbox } from '../client/sdk.js'
import { requireRef } from './naming.js'
import type { Sandboxes } from './sandboxes.js'
import { parseSshCommand, type SshGrant, type SshTokenStore } from './ssh-tokens.js'

/** Minutes a new SSH token lives; cached until a few minutes before. */
const TOKEN_MINUTES = 60

export class SshAccess {
  constructor(
    private readonly sandboxes: Sandboxes,
    private readonly tokens: SshTokenStore,
    private readonly nexusHome: string,
  ) {}

  /**
   * Daytona's gateway takes the token as the user name. A workspace nexus thinks is running gets its sandbox
   * started first if Daytona auto-stopped it (the gateway only reaches started sandboxes).
   */
  async endpoint(workspace: Workspace): Promise<SshEndpoint> {
    const ref = requireRef(workspace)
    let sandbox: Sandbox | undefined
    if (workspace.status === 'running') sandbox = await this.sandboxes.running(workspace)
    const grant = (await this.tokens.valid(ref.sandboxId)) ?? (await this.grant(workspace, sandbox))
    return {
      host: grant.host,
      port: grant.port,
      user: grant.token,
      identity: sshPaths(this.nexusHome).privateKey,
      forwardAgent: true,
      ...(ref.workdir ? { workdir: ref.workdir } : {}),
    }
  }

  private async grant(workspace: Workspace, known?: Sandbox): Promise<SshGrant> {
    const sandbox = known ?? (await this.sandboxes.require(workspace))
    const access = await this.sandboxes.call(
      `get SSH access to workspace "${workspace.name}"`,
      workspace,
      () => sandbox.createSshAccess(TOKEN_MINUTES),
    )
    const grant: SshGrant = {
      token: access.token,
      ...parseSshCommand(access.sshCommand),
      expiresAt: new Date(access.expiresAt).toISOString(),
    }
    await this.tokens.put(sandbox.id, grant)
    return grant
  }

  /**
   * Runs a command over the gateway; a refused or failed connection drops the cached token (Daytona may have revoked
   * it, or the sandbox was recreated) and says so in Daytona's terms.
   */
  async exec(workspace: Workspace, request: ExecRequest): Promise<ExecResult> {
    const endpoint = await this.endpoint(workspace)
    try {
      return await sshExec(endpoint, {
        ...request,
        ...((request.cwd ?? endpoint.workdir) ? { cwd: request.cwd ?? endpoint.workdir } : {}),
        workspaceName: workspace.name,
      })
    } catch (error) {
      if (!hasErrorCode(error, 'SSH_ERROR')) throw error
      await this.tokens.remove(requireRef(workspace).sandboxId)
      throw new NexusError(
        'SSH_CONNECTION_FAILED',
        `Could not open an SSH session to workspace "${workspace.name}" through Daytona's gateway ${endpoint.host}:${endpoint.port}.`,
        {
          suggestion: `Run it again (nexus asks for a fresh access token), or without --tty to use Daytona's Process API: \`nexus workspace exec ${workspace.name} -- …\`.`,
          cause: error,
        },
      )
    }
  }

  /** Revokes the cached token (destroy, restore): a token outliving its sandbox is a loose credential. */
  /** Drops the cached tokens of a sandbox that is gone (deleting a sandbox ends its SSH access on Daytona's side). */
  async forget(sandboxId: string): Promise<void> {
    await this.tokens.remove(sandboxId)
  }

  async revoke(workspace: Workspace, sandbox: Sandbox | undefined, sandboxId: string): Promise<void> {
    const grant = await this.tokens.any(sandboxId)
    if (!grant) return
    if (sandbox) {
      await this.sandboxes
        .call(`revoke SSH access to workspace "${workspace.name}"`, workspace, () =>
          sandbox.revokeSshAccess(grant.token),
        )
        .catch((error: unknown) => {
          this.sandboxes.deps.reporter.debug(`revoking the SSH token failed: ${(error as Error).message}`)
        })
    }
    await this.tokens.remove(sandboxId)
  }
}
