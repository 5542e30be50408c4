import { defineConfig } from 'vitest/config'

export default defineConfig({
  // End-to-end tests spawn the built CLI many times; give each room on a 2-core machine.
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
})
