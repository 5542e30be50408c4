import { silentReporter } from '../app/reporter.js'
import type { ProviderContext, Reporter } from '../provider/index.js'
import type { JsonObject } from '../workspace/index.js'

export interface TestProviderContextOptions {
  /** A temp directory standing in for `$NEXUS_HOME`. */
  nexusHome: string
  /** The provider's own section, `backends.<name>`. */
  config?: JsonObject
  globalConfig?: JsonObject
  env?: Record<string, string | undefined>
  reporter?: Reporter
}

/** The context the CLI would hand a provider factory, built from a temp home instead of the user's. */
export function createTestProviderContext(options: TestProviderContextOptions): ProviderContext {
  return {
    config: options.config ?? {},
    globalConfig: options.globalConfig ?? {},
    nexusHome: options.nexusHome,
    env: options.env ?? { ...process.env },
    reporter: options.reporter ?? silentReporter,
  }
}
