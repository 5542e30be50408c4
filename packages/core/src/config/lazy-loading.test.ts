import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeConfigFixture, type ConfigFixture } from './__tests__/fixture.js'

const run = promisify(execFile)
const packageRoot = fileURLToPath(new URL('../..', import.meta.url))

// Runs in the module-hooks thread: records every import of the libraries that make loading config slow.
const RECORDING_HOOKS = `
  import { appendFileSync } from 'node:fs'
  let log
  export function initialize(data) { log = data.log }
  export async function resolve(specifier, context, next) {
    const name = /^(zod|yaml|cosmiconfig)(\\/|$)/.exec(specifier)?.[1]
    if (name !== undefined) appendFileSync(log, name + '\\n')
    return next(specifier, context)
  }
`

/**
 * A fresh node process (this one has long imported everything) that imports the package entry point from source
 * through tsx, so the probe always checks the current code, then loads config step by step. After each step it
 * notes which of zod, yaml and cosmiconfig have been imported so far.
 */
function probe(fx: ConfigFixture): string {
  const log = join(fx.root, 'imports.log')
  const hooksUrl = `data:text/javascript,${encodeURIComponent(RECORDING_HOOKS)}`
  return `
    const { register } = await import('node:module')
    const { readFileSync, writeFileSync, mkdirSync } = await import('node:fs')
    const log = ${JSON.stringify(log)}
    writeFileSync(log, '')
    register(${JSON.stringify(hooksUrl)}, { data: { log } })
    const imported = () => [...new Set(readFileSync(log, 'utf8').split('\\n').filter(Boolean))].sort()
    const steps = {}
    const core = await import(${JSON.stringify(new URL('../index.ts', import.meta.url).href)})
    steps.importBarrel = imported()
    const options = { cwd: ${JSON.stringify(fx.repo)}, env: ${JSON.stringify(fx.env)} }
    const defaults = await core.loadConfig(options)
    core.getConfigValue(defaults, 'defaults.backend')
    core.listConfig(defaults)
    steps.loadWithoutConfig = imported()
    mkdirSync(${JSON.stringify(join(fx.repo, '.nexus'))})
    writeFileSync(${JSON.stringify(fx.projectFile)}, 'defaults: {backend: mock}\\n')
    const fromFile = await core.loadConfig(options)
    steps.loadWithProjectFile = imported()
    console.log(JSON.stringify({ steps, backends: [defaults.config.defaults.backend, fromFile.config.defaults.backend] }))
  `
}

/** A fresh process that loads config once, printing what it imported and the config and origins it got. */
function loadOnce(fx: ConfigFixture): string {
  const log = join(fx.root, 'imports.log')
  const hooksUrl = `data:text/javascript,${encodeURIComponent(RECORDING_HOOKS)}`
  return `
    const { register } = await import('node:module')
    const { readFileSync, writeFileSync } = await import('node:fs')
    const log = ${JSON.stringify(log)}
    writeFileSync(log, '')
    register(${JSON.stringify(hooksUrl)}, { data: { log } })
    const core = await import(${JSON.stringify(new URL('../index.ts', import.meta.url).href)})
    const loaded = await core.loadConfig({ cwd: ${JSON.stringify(fx.repo)}, env: ${JSON.stringify(fx.env)} })
    const imported = [...new Set(readFileSync(log, 'utf8').split('\\n').filter(Boolean))].sort()
    console.log(JSON.stringify({ imported, config: loaded.config, origins: [...loaded.origins] }))
  `
}

let fx: ConfigFixture
beforeEach(async () => {
  fx = await makeConfigFixture()
})
afterEach(async () => {
  await fx.cleanup()
})

describe('what loading config imports', () => {
  it('imports neither zod nor yaml for the barrel or for a load without any config, and both once a file exists', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', probe(fx)],
      { cwd: packageRoot },
    )
    expect(JSON.parse(stdout)).toEqual({
      steps: {
        importBarrel: [],
        loadWithoutConfig: ['cosmiconfig'],
        loadWithProjectFile: ['cosmiconfig', 'yaml', 'zod'],
      },
      backends: ['docker', 'mock'],
    })
  })

  it('imports neither once the config cache holds the result for the same files', async () => {
    await fx.writeSettled(fx.userFile, 'backends: {docker: {base_image: "nexus-base:bookworm"}}\n')
    await fx.writeSettled(fx.projectFile, 'defaults: {resources: medium}\n')
    const loadInFreshProcess = async (): Promise<{
      imported: string[]
      config: unknown
      origins: unknown
    }> => {
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '--eval', loadOnce(fx)],
        { cwd: packageRoot },
      )
      return JSON.parse(stdout) as { imported: string[]; config: unknown; origins: unknown }
    }
    const miss = await loadInFreshProcess()
    const hit = await loadInFreshProcess()
    expect(miss.imported).toEqual(['cosmiconfig', 'yaml', 'zod'])
    expect(hit.imported).toEqual(['cosmiconfig'])
    expect(hit.config).toEqual(miss.config)
    expect(hit.origins).toEqual(miss.origins)
  })
})
