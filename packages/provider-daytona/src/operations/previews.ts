import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { NexusError, writeFileAtomic, type JsonObject, type JsonValue, type Workspace } from '@nexus/core'
import type { Sandbox } from '../client/sdk.js'
import type { Sandboxes } from '../sandbox/sandboxes.js'

interface PreviewRecord {
  port: number
  url: string
  kind: 'private' | 'signed'
  /** Signed URLs only: the token that expires the URL (it is part of the URL anyway). */
  signedToken?: string
  expiresAt: string | null
  createdAt: string
}

/**
 * Daytona has no "list my preview URLs": nexus keeps the ones it made in
 * `<nexusHome>/providers/daytona/previews/<workspace id>.json` (0600), so they can be listed and expired.
 */
export class PreviewStore {
  constructor(private readonly nexusHome: string) {}

  private file(workspace: Workspace): string {
    return join(this.nexusHome, 'providers', 'daytona', 'previews', `${workspace.id}.json`)
  }

  async list(workspace: Workspace): Promise<PreviewRecord[]> {
    try {
      return JSON.parse(await readFile(this.file(workspace), 'utf8')) as PreviewRecord[]
    } catch {
      return []
    }
  }

  async save(workspace: Workspace, records: PreviewRecord[]): Promise<void> {
    await mkdir(join(this.file(workspace), '..'), { recursive: true, mode: 0o700 })
    await writeFileAtomic(this.file(workspace), `${JSON.stringify(records, null, 2)}\n`, 0o600)
  }
}

function view(record: PreviewRecord): JsonObject {
  return {
    port: record.port,
    url: record.url,
    kind: record.kind,
    expiresAt: record.expiresAt,
    createdAt: record.createdAt,
  }
}

export async function createPreview(
  sandboxes: Sandboxes,
  store: PreviewStore,
  workspace: Workspace,
  sandbox: Sandbox,
  options: { port: number; public: boolean; expires: number },
): Promise<JsonValue> {
  const now = new Date(sandboxes.deps.clock.now())
  const action = `make a preview URL for port ${options.port} of workspace "${workspace.name}"`
  let record: PreviewRecord
  let token: string | null = null
  if (options.public) {
    const signed = await sandboxes.call(action, workspace, () =>
      sandbox.getSignedPreviewUrl(options.port, options.expires),
    )
    record = {
      port: options.port,
      url: signed.url,
      kind: 'signed',
      signedToken: signed.token,
      expiresAt: new Date(now.getTime() + options.expires * 1000).toISOString(),
      createdAt: now.toISOString(),
    }
  } else {
    const link = await sandboxes.call(action, workspace, () => sandbox.getPreviewLink(options.port))
    record = {
      port: options.port,
      url: link.url,
      kind: 'private',
      expiresAt: null,
      createdAt: now.toISOString(),
    }
    token = link.token
  }
  const records = (await store.list(workspace)).filter((existing) => existing.port !== options.port)
  await store.save(workspace, [...records, record])
  return {
    workspace: workspace.name,
    ...view(record),
    // Private previews need the token in the `x-daytona-preview-token` header; it is printed, never stored.
    token,
    header: token ? 'x-daytona-preview-token' : null,
  }
}

export async function listPreviews(store: PreviewStore, workspace: Workspace): Promise<JsonValue> {
  return { workspace: workspace.name, previews: (await store.list(workspace)).map(view) }
}

export async function deletePreview(
  sandboxes: Sandboxes,
  store: PreviewStore,
  workspace: Workspace,
  sandbox: Sandbox,
  port: number,
): Promise<JsonValue> {
  const records = await store.list(workspace)
  const found = records.find((record) => record.port === port)
  if (!found) {
    throw new NexusError(
      'INVALID_ARGUMENT',
      `Workspace "${workspace.name}" has no preview URL for port ${port}.`,
      {
        suggestion: `List them with \`nexus workspace provider daytona preview list ${workspace.name}\`.`,
      },
    )
  }
  if (found.kind === 'signed' && found.signedToken) {
    const token = found.signedToken
    await sandboxes.call(`expire the preview URL of port ${port}`, workspace, () =>
      sandbox.expireSignedPreviewUrl(port, token),
    )
  }
  await store.save(
    workspace,
    records.filter((record) => record.port !== port),
  )
  return {
    workspace: workspace.name,
    port,
    expired: found.kind === 'signed',
    note:
      found.kind === 'private'
        ? 'Private preview tokens are sandbox-wide and change when the sandbox restarts; the URL still answers to that token until then.'
        : null,
  }
}
