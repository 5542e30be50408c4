import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // One image build for the whole run, before the files that need it start in parallel.
    globalSetup: ['src/__tests__/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
