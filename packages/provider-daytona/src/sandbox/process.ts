import { randomBytes } from 'node:crypto'
import type { Readable } from 'node:stream'
import {
  NexusError,
  remoteCommandLine,
  shellQuote,
  type ExecRequest,
  type ExecResult,
  type Workspace,
} from '@nexus/core'
import type { Sandbox } from '../client/sdk.js'
import type { Sandboxes } from './sandboxes.js'

/** Stdin for the Process API travels inside the command; beyond this, SSH (which streams) is the way. */
const MAX_STDIN_BYTES = 4 * 1024 * 1024

/**
 * Runs an argv through the Process API. The daemon splits the command line itself (shell words, no shell), so
 * scripts are handed to `sh -c` explicitly; that is also what makes redirections and `&&` work.
 */
export async function runInSandbox(
  sandboxes: Sandboxes,
  workspace: Workspace,
  sandbox: Sandbox,
  argv: string[],
  cwd?: string,
): Promise<{ exitCode: number; output: string }> {
  const response = await sandboxes.call(`run a command in workspace "${workspace.name}"`, workspace, () =>
    sandbox.process.executeCommand(argv.map(shellQuote).join(' '), cwd, undefined, 0),
  )
  return { exitCode: response.exitCode, output: response.result }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    size += buffer.length
    if (size > MAX_STDIN_BYTES) {
      throw new NexusError(
        'INVALID_ARGUMENT',
        `More than ${MAX_STDIN_BYTES / 1024 / 1024} MiB came in on stdin for Daytona's Process API.`,
        {
          suggestion:
            'Send large input over SSH instead: `nexus workspace exec` with `nexus config set exec.transport ssh`.',
        },
      )
    }
    chunks.push(buffer)
  }
  return Buffer.concat(chunks)
}

/**
 * The Process API returns stdout and stderr as one string, so the command's stderr goes to a temp file that is
 * printed after a random marker: the one answer splits back into both streams, with the command's exit status.
 */
export function splittingScript(
  request: Pick<ExecRequest, 'command' | 'env'>,
  marker: string,
  stdin?: Buffer,
): string {
  const inner = remoteCommandLine({ command: request.command, env: request.env })
  const feed =
    stdin && stdin.length > 0 ? `printf %s ${shellQuote(stdin.toString('base64'))} | base64 -d | ` : ''
  return [
    'nexus_err=$(mktemp) || exit 125',
    // Without input the command must not wait on whatever stdin the daemon left open.
    `${feed}{ ${inner} ; } 2>"$nexus_err"${feed ? '' : ' </dev/null'}`,
    'nexus_rc=$?',
    `printf %s ${shellQuote(marker)}`,
    'cat "$nexus_err"',
    'rm -f "$nexus_err"',
    'exit $nexus_rc',
  ].join('\n')
}

export function splitOutput(result: string, marker: string): { stdout: string; stderr: string } {
  const at = result.lastIndexOf(marker)
  if (at < 0) return { stdout: result, stderr: '' }
  return { stdout: result.slice(0, at), stderr: result.slice(at + marker.length) }
}

/** `exec` over the Process API: no SSH handshake, separate streams, stdin buffered, exit status kept. */
export async function execViaProcessApi(
  sandboxes: Sandboxes,
  workspace: Workspace,
  sandbox: Sandbox,
  workdir: string,
  request: ExecRequest,
): Promise<ExecResult> {
  const stdin = request.stdin ? await readAll(request.stdin) : undefined
  const marker = `--nexus-stderr-${randomBytes(12).toString('hex')}--`
  const script = splittingScript(request, marker, stdin)
  const response = await sandboxes.call(`run a command in workspace "${workspace.name}"`, workspace, () =>
    sandbox.process.executeCommand(`sh -c ${shellQuote(script)}`, request.cwd ?? workdir, undefined, 0),
  )
  const { stdout, stderr } = splitOutput(response.result, marker)
  await write(request.stdout, stdout)
  await write(request.stderr, stderr)
  return { exitCode: response.exitCode }
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (text === '') return Promise.resolve()
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()))
  })
}
