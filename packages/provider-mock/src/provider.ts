import { defineProvider } from '@nexus/core'
import { createMockProvider } from './mock-provider.js'

/** Loaded by the `nexus:providers` hook's load(), the first time a command uses the mock backend. */
export default defineProvider({ name: 'mock', create: (context) => createMockProvider(context) })
