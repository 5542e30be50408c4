import { execFile } from 'node:child_process'

/** Runs a program without a shell; rejects with its stderr when it fails, since a test cannot go on then. */
export function runProgram(file: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${stderr || error.message}`))
      else resolve(stdout)
    })
  })
}
