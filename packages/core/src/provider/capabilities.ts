/**
 * What a backend can do. `ssh` means a real SSH endpoint (the universal interface); the rest gate escape hatches.
 * Third-party providers may report extra flags; core only interprets the ones listed here.
 */
export const KNOWN_CAPABILITIES = [
  'ssh',
  'exec',
  'sync',
  'pause',
  'snapshots',
  'checkpoints',
  'volumes',
  'images',
  'networks',
  'services',
  'previews',
  'lsp',
  'processApi',
  'fileApi',
  'logs',
  'stats',
] as const
export type KnownCapability = (typeof KNOWN_CAPABILITIES)[number]
export type Capability = KnownCapability | (string & {})
export type Capabilities = Partial<Record<Capability, boolean>>

export function supportedCapabilities(capabilities: Capabilities): string[] {
  return Object.entries(capabilities)
    .filter(([, enabled]) => enabled === true)
    .map(([name]) => name)
    .sort()
}
