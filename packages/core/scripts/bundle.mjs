// Bundles tsc's output into a few ESM files for runtime. Every nexus command imports core; as ~120 separate
// modules that cost ~40 ms of resolving and loading per command, as a bundle ~13 ms. Code splitting keeps each
// dynamic import (zod, yaml, ssh2, config layers, …) a separate chunk loaded only when used, and the entry points
// share chunks, so `@nexus/core` and `@nexus/core/testing` see one copy of every module. Dependencies stay external.
// Type declarations are tsc's, next to its output in dist/.
import { rm } from 'node:fs/promises'
import { build } from 'esbuild'

const outdir = new URL('../dist/bundle/', import.meta.url).pathname
await rm(outdir, { recursive: true, force: true })
await build({
  entryPoints: { index: 'dist/index.js', 'testing/index': 'dist/testing/index.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
})
