import { readFileSync } from 'node:fs'

/**
 * This package's version, read from package.json at runtime (src/ and dist/ sit at the same depth), so that image
 * tags follow releases without a generated file.
 */
export const PACKAGE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version
