import { discoverProviders } from '../app/providers.js'
import { silentReporter } from '../app/reporter.js'
import { builtInConfigDefaults, loadConfig, resolveLocations, type LoadedConfig } from '../config/index.js'
import { isNexusError } from '../errors/index.js'
import { ProviderRegistry } from '../provider/index.js'
import { StateStore } from '../state/index.js'
import type { JsonObject } from '../workspace/index.js'
import { PORT_RANGES } from '../ports/index.js'
import { checkEphemeralOverlap, readKernelPortSettings } from './ephemeral-ports.js'
import { checkKeyMode, checkPortUsage, checkStateFiles, portUsage } from './file-checks.js'
import { guarded } from './guard.js'
import { checkCommandIds, checkPlugins } from './plugin-checks.js'
import { checkProviders } from './provider-checks.js'
import { checkGit, checkNode } from './system-checks.js'
import type { DoctorCheck, DoctorInput, DoctorReport } from './types.js'

function checkLoadedConfig(loaded: LoadedConfig): DoctorCheck {
  const files = [...new Set([...loaded.origins.values()].flatMap((o) => (o.file ? [o.file] : [])))]
  return {
    id: 'config',
    status: 'ok',
    message: files.length
      ? `Every config layer is valid (${files.join(', ')}).`
      : 'No config files; the built-in defaults apply.',
  }
}

function configFailure(error: unknown): DoctorCheck {
  if (!isNexusError(error)) throw error
  return {
    id: 'config',
    status: 'fail',
    message: error.message,
    ...(error.suggestion ? { fix: error.suggestion } : {}),
  }
}

/**
 * `nexus doctor`: every check runs, and each one's failure stays its own. It does not go through createNexus on
 * purpose: a broken config file is one of the things it reports, so it loads the pieces itself and carries on with
 * the defaults when the config does not load.
 */
export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const cwd = input.cwd ?? process.cwd()
  const env = input.env ?? process.env
  const loading = loadConfig({ cwd, env, ...(input.flagConfig ? { flags: input.flagConfig } : {}) })
  const loaded = await loading.catch(() => undefined)
  const nexusHome = loaded?.locations.nexusHome ?? (await resolveLocations(cwd, env)).nexusHome
  const state = new StateStore(nexusHome)
  const listing = state.list()
  const discovering = discoverProviders(input.hooks)

  const groups = await Promise.all([
    guarded('node', async () => checkNode(input.nodeVersion ?? process.version)),
    guarded('git', () => checkGit(env)),
    guarded('config', async () => loading.then(checkLoadedConfig, configFailure)),
    guarded('plugins', async () => {
      const { registered, warnings } = await discovering
      return checkPlugins(
        warnings,
        registered.map((r) => r.descriptor.name),
      )
    }),
    guarded('commands', async () => checkCommandIds(input.commands ?? [])),
    guarded('keys', () => checkKeyMode(nexusHome)),
    guarded('state', async () => checkStateFiles(await listing, state.unreadable)),
    guarded('ports', async () => checkPortUsage(portUsage(await listing))),
    guarded('ports:ephemeral', async () =>
      checkEphemeralOverlap(loaded?.config.ports_range ?? PORT_RANGES.local, await readKernelPortSettings()),
    ),
    guarded('providers', async () => {
      const { registered } = await discovering
      // With a broken config, the backends are checked as they would run on the built-in defaults.
      const config = loaded?.config ?? builtInConfigDefaults()
      const registry = new ProviderRegistry(registered, (name) => ({
        config: (config.backends[name] ?? {}) as JsonObject,
        globalConfig: config as unknown as JsonObject,
        nexusHome,
        env,
        reporter: silentReporter,
      }))
      return checkProviders(registry, await listing, nexusHome, config.defaults.backend)
    }),
  ])
  const checks = groups.flat()
  return { ok: checks.every((c) => c.status !== 'fail'), checks }
}
