import { readFile } from 'node:fs/promises'
import { parseEnv } from 'node:util'
import { NexusError } from '../errors/index.js'

/**
 * The environment a workspace gets: every `env_files` entry (dotenv format, read in order, later files win), then
 * the `env:` map on top, so a value written in config beats one from a file. Values may be secrets: never log them.
 */
export async function workspaceEnv(
  envFiles: string[],
  env: Record<string, string>,
): Promise<Record<string, string>> {
  const merged: Record<string, string> = {}
  for (const file of envFiles) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      throw new NexusError('CONFIG_INVALID', `The env file ${file} (from env_files) cannot be read.`, {
        suggestion: 'Create it, or remove it from `env_files` in your config.',
        cause: error,
        details: { file, keyPath: 'env_files' },
      })
    }
    Object.assign(merged, parseEnv(text))
  }
  return { ...merged, ...env }
}
