import { defineProvider } from '@nexus/core'
import { createMockProvider } from './mock-provider.js'
import { withLeftovers } from './orphans.js'

/** Loaded by the `nexus:providers` hook's load(), the first time a command uses the mock backend. */
export default defineProvider({
  name: 'mock',
  create: (context) => withLeftovers(createMockProvider(context), context.nexusHome),
})
