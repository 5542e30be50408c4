import type { HookRunner } from '../app/types.js'

export type DoctorStatus = 'ok' | 'warn' | 'fail'

export interface DoctorCheck {
  id: string
  status: DoctorStatus
  message: string
  /** What to do about a warning or a failure. */
  fix?: string
}

export interface DoctorReport {
  /** False when any check failed; warnings do not count. */
  ok: boolean
  checks: DoctorCheck[]
}

/** A command as a plugin contributes it, for spotting two plugins claiming the same id. */
export interface CommandEntry {
  id: string
  plugin: string
}

export interface DoctorInput {
  hooks: HookRunner
  cwd?: string
  env?: Record<string, string | undefined>
  /** Config values from flags, the layer between project files and NEXUS_* env. */
  flagConfig?: Record<string, unknown>
  /** Every command of every installed plugin (the CLI knows them; core does not). */
  commands?: CommandEntry[]
  /** Defaults to the running Node's version. */
  nodeVersion?: string
}
