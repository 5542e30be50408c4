import { describe, expect, it } from 'vitest'
import { PROVIDER_API_VERSION, type OperationDescriptor, type ParamSpec } from '../../provider/index.js'
import type { ConformanceRun } from '../run.js'

const PARAM_TYPES = ['string', 'number', 'boolean']

/** The static face of a provider: who it is, what it claims to do, which escape hatches it offers. */
export function describeShape(run: ConformanceRun): void {
  describe('identity and claims', () => {
    it('speaks provider API version 1 under its backend name', () => {
      expect(run.provider.apiVersion).toBe(PROVIDER_API_VERSION)
      expect(run.provider.name).toBe(run.backend)
    })

    it('reports capabilities as booleans', () => {
      const capabilities = run.provider.capabilities()
      expect(typeof capabilities).toBe('object')
      for (const [name, enabled] of Object.entries(capabilities)) {
        expect(typeof enabled, `capability "${name}"`).toBe('boolean')
      }
    })

    it('has the methods behind the capabilities it claims', () => {
      const { provider } = run
      const capabilities = provider.capabilities()
      if (capabilities.logs === true) expect(typeof provider.logs, 'logs: true needs logs()').toBe('function')
      if (capabilities.stats === true)
        expect(typeof provider.stats, 'stats: true needs stats()').toBe('function')
      if (capabilities.exec === true) expect(typeof provider.exec, 'exec: true needs exec()').toBe('function')
    })

    it('describes each operation well: dotted id under its name, scope, a reported capability, typed params', () => {
      const operations = run.provider.operations()
      expect(Array.isArray(operations)).toBe(true)
      const capabilities = run.provider.capabilities()
      const ids = operations.map((operation) => operation.id)
      expect(new Set(ids).size, `operation ids must be unique: ${ids.join(', ')}`).toBe(ids.length)
      for (const operation of operations)
        expectWellFormedOperation(run.backend, operation, Object.keys(capabilities))
    })
  })
}

function expectWellFormedOperation(
  backend: string,
  operation: OperationDescriptor,
  reported: string[],
): void {
  const idPattern = new RegExp(`^${backend.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.[a-z][a-z0-9-]*)+$`)
  expect(operation.id, 'an operation id is <backend>.<noun>[.<verb>]').toMatch(idPattern)
  expect(
    typeof operation.summary === 'string' && operation.summary.length > 0,
    `${operation.id}: summary`,
  ).toBe(true)
  expect(['workspace', 'provider'], `${operation.id}: scope`).toContain(operation.scope)
  expect(
    reported,
    `${operation.id} needs "${operation.capability}", which capabilities() never reports`,
  ).toContain(operation.capability)
  expect(typeof operation.params, `${operation.id}: params`).toBe('object')
  for (const [name, spec] of Object.entries(operation.params))
    expectWellFormedParam(`${operation.id} --${name}`, spec)
}

function expectWellFormedParam(where: string, spec: ParamSpec): void {
  expect(PARAM_TYPES, `${where}: type`).toContain(spec.type)
  expect(typeof spec.description === 'string' && spec.description.length > 0, `${where}: description`).toBe(
    true,
  )
  if (spec.required !== undefined) expect(typeof spec.required, `${where}: required`).toBe('boolean')
  if (spec.default !== undefined)
    expect(typeof spec.default, `${where}: default matches type`).toBe(spec.type)
  if (spec.options !== undefined) {
    expect(spec.type, `${where}: options are for string params`).toBe('string')
    expect(
      spec.options.every((option) => typeof option === 'string'),
      `${where}: options are strings`,
    ).toBe(true)
    if (spec.default !== undefined)
      expect(spec.options, `${where}: default is one of options`).toContain(spec.default)
  }
}
