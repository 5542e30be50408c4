import { describe, expect, it } from 'vitest'
import { builtInDefaults, TOP_LEVEL_KEYS } from './defaults.js'
import { nexusConfigSchema } from './schema.js'

// defaults.ts writes out what the schema would compute, so that loading without config files needs no zod.
describe('the plain-data defaults', () => {
  it('are exactly what the schema produces from an empty file, key order included', () => {
    const fromSchema = nexusConfigSchema.parse({})
    expect(builtInDefaults()).toStrictEqual(fromSchema)
    expect(JSON.stringify(builtInDefaults())).toBe(JSON.stringify(fromSchema))
  })

  it('list exactly the schema top-level keys, in schema order', () => {
    expect(TOP_LEVEL_KEYS).toEqual(Object.keys(nexusConfigSchema.shape))
  })

  it('are a new object on every call, so that a caller changing its copy changes no one else', () => {
    const mine = builtInDefaults()
    mine.defaults.backend = 'changed'
    mine.env_files.push('x.env')
    expect(builtInDefaults().defaults.backend).toBe('docker')
    expect(builtInDefaults().env_files).toEqual([])
  })
})
