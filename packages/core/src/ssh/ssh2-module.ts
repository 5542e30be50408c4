import type ssh2 from 'ssh2'

type Ssh2Module = typeof ssh2
let loading: Promise<Ssh2Module> | undefined

/**
 * ssh2 costs ~40–60 ms to import. Every command loads core, few of them speak SSH, so it is imported on first use.
 */
export function loadSsh2(): Promise<Ssh2Module> {
  loading ??= import('ssh2').then((module) => module.default)
  return loading
}
