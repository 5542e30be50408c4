import { execFile } from 'node:child_process'

export interface RunResult {
  stdout: string
  stderr: string
  exitCode: number
}

/** Runs a program without a shell and collects its output; never throws for a non-zero exit. */
export function runProgram(
  file: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error)
          return
        }
        resolve({ stdout: String(stdout), stderr: String(stderr), exitCode: error ? Number(error.code) : 0 })
      },
    )
  })
}
