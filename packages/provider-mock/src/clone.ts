import { spawn } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { cloneWithRetry, type CommandRunner, type JsonObject } from '@nexus/core'

/** `--from <git url>` (`gitUrl`, `gitBranch`): what a remote backend clones instead of using the local worktree. */
export interface CloneSource {
  url: string
  branch?: string
}

export function cloneSourceOf(options: JsonObject): CloneSource | undefined {
  const url = options.gitUrl
  if (typeof url !== 'string' || url === '') return undefined
  const branch = options.gitBranch
  return { url, ...(typeof branch === 'string' && branch !== '' ? { branch } : {}) }
}

/** Runs argv on the host, output and errors folded together, the way a remote backend's exec reports them. */
function hostRunner(env: Record<string, string>): CommandRunner {
  return (argv) =>
    new Promise((resolve) => {
      const [file, ...args] = argv
      const child = spawn(file ?? 'false', args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
      let output = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
      child.once('error', (error) => resolve({ exitCode: 127, output: `${output}${error.message}\n` }))
      child.once('close', (code) => resolve({ exitCode: code ?? 1, output }))
    })
}

/**
 * Clones into the mock's own workspace directory with core's retrying clone, as a remote backend would inside its
 * sandbox; a clone that still fails leaves no directory behind.
 */
export async function cloneInto(
  directory: string,
  source: CloneSource,
  env: Record<string, string>,
): Promise<void> {
  try {
    await cloneWithRetry(hostRunner({ ...env, GIT_TERMINAL_PROMPT: '0' }), {
      url: source.url,
      directory,
      ...(source.branch ? { branch: source.branch } : {}),
    })
  } catch (error) {
    await rm(directory, { recursive: true, force: true })
    throw error
  }
}
