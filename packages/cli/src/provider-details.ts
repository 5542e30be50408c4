import {
  operationCommand,
  supportedCapabilities,
  type Nexus,
  type OperationDescriptor,
  type ProviderSummary,
} from '@nexus/core'

export interface OperationDetails extends OperationDescriptor {
  /** The command that runs it; workspace-scoped ones take the workspace name last. */
  command: string
  /** Whether the backend currently reports the capability the operation needs. */
  available: boolean
}

/** What `nexus provider info <name>` prints: the `provider list` entry, plus the operations. */
export interface ProviderDetails extends ProviderSummary {
  operations: OperationDetails[]
}

export async function providerDetails(nexus: Nexus, name: string): Promise<ProviderDetails> {
  const { descriptor, origin } = nexus.registry.entry(name)
  const provider = await nexus.registry.get(name)
  const capabilities = provider.capabilities()
  return {
    name,
    summary: descriptor.summary,
    ...origin,
    capabilities: supportedCapabilities(capabilities),
    operations: provider.operations().map((operation) => ({
      ...operation,
      command: operationCommand(
        name,
        operation.id,
        operation.scope,
        operation.scope === 'workspace' ? '<workspace>' : undefined,
      ),
      available: capabilities[operation.capability] === true,
    })),
  }
}
