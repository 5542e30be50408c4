import { NexusError } from '../errors/index.js'
import type { JsonValue, Workspace } from '../workspace/index.js'
import { supportedCapabilities } from './capabilities.js'
import type { OperationDescriptor, OperationParams, ParamSpec, Provider } from './contract.js'

export function findOperation(provider: Provider, id: string): OperationDescriptor {
  const operation = provider.operations().find((op) => op.id === id)
  if (!operation) {
    const known = provider.operations().map((op) => op.id)
    throw new NexusError('OPERATION_NOT_FOUND', `The ${provider.name} backend has no operation "${id}".`, {
      suggestion: known.length
        ? `Known operations: ${known.join(', ')} (see \`nexus provider info ${provider.name}\`).`
        : `The ${provider.name} backend offers no operations.`,
    })
  }
  return operation
}

function coerceParam(
  name: string,
  spec: ParamSpec,
  raw: string | number | boolean | undefined,
): string | number | boolean | undefined {
  if (raw === undefined) return spec.default
  if (spec.type === 'number') {
    const value = typeof raw === 'number' ? raw : Number(raw)
    if (!Number.isFinite(value)) throw invalidParam(name, `a number`, raw)
    return value
  }
  if (spec.type === 'boolean') {
    if (typeof raw === 'boolean') return raw
    if (raw === 'true' || raw === '1') return true
    if (raw === 'false' || raw === '0') return false
    throw invalidParam(name, 'true or false', raw)
  }
  const value = String(raw)
  if (spec.options && !spec.options.includes(value))
    throw invalidParam(name, `one of ${spec.options.join(', ')}`, raw)
  return value
}

function invalidParam(name: string, expected: string, got: unknown): NexusError {
  return new NexusError(
    'INVALID_ARGUMENT',
    `Parameter "${name}" must be ${expected}, got ${JSON.stringify(got)}.`,
    {
      suggestion: "Check the operation's parameters with `nexus provider info <backend>`.",
    },
  )
}

export function validateOperationParams(
  operation: OperationDescriptor,
  params: OperationParams,
): OperationParams {
  const result: OperationParams = {}
  for (const name of Object.keys(params)) {
    if (!(name in operation.params)) {
      throw new NexusError('INVALID_ARGUMENT', `Operation ${operation.id} has no parameter "${name}".`, {
        suggestion: `Its parameters are: ${Object.keys(operation.params).join(', ') || 'none'}.`,
      })
    }
  }
  for (const [name, spec] of Object.entries(operation.params)) {
    const value = coerceParam(name, spec, params[name])
    if (value === undefined && spec.required) {
      throw new NexusError('INVALID_ARGUMENT', `Operation ${operation.id} needs the parameter "${name}".`, {
        suggestion: `Pass it as --${name} <${spec.type}> (${spec.description}).`,
      })
    }
    if (value !== undefined) result[name] = value
  }
  return result
}

/**
 * Runs an escape hatch: finds it, checks the backend has the capability it needs, validates its parameters, then
 * calls the provider. This is the only way core and the CLI call `provider.runOperation`.
 */
export async function runOperation(
  provider: Provider,
  id: string,
  params: OperationParams,
  workspace?: Workspace,
): Promise<JsonValue> {
  const operation = findOperation(provider, id)
  const capabilities = provider.capabilities()
  if (capabilities[operation.capability] !== true) {
    throw new NexusError(
      'CAPABILITY_NOT_SUPPORTED',
      `The ${provider.name} backend does not support "${operation.capability}", which ${operation.id} needs.`,
      {
        suggestion: `It supports: ${supportedCapabilities(capabilities).join(', ') || 'nothing optional'}.`,
        details: { capability: operation.capability, supported: supportedCapabilities(capabilities) },
      },
    )
  }
  if (operation.scope === 'workspace' && !workspace) {
    throw new NexusError('INVALID_ARGUMENT', `Operation ${operation.id} works on a workspace; name one.`, {
      suggestion: `Run it as \`nexus workspace provider ${provider.name} … <workspace>\`.`,
    })
  }
  const validated = validateOperationParams(operation, params)
  return provider.runOperation({ id, params: validated, ...(workspace ? { workspace } : {}) })
}

export function requireCapability(provider: Provider, capability: string, action: string): void {
  const capabilities = provider.capabilities()
  if (capabilities[capability] === true) return
  throw new NexusError(
    'CAPABILITY_NOT_SUPPORTED',
    `The ${provider.name} backend cannot ${action}: it lacks "${capability}".`,
    {
      suggestion: `It supports: ${supportedCapabilities(capabilities).join(', ') || 'nothing optional'}.`,
      details: { capability, supported: supportedCapabilities(capabilities) },
    },
  )
}
