import { Writable, type Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import type { Sprite } from '@fly/sprites'
import { NexusError, type NexusErrorLike } from '@nexus/core'
import { commandScript } from './shell.js'

export interface TerminalSize {
  cols: number
  rows: number
}

export interface CommandIo {
  stdin?: Readable
  stdout: Writable
  stderr: Writable
  tty?: boolean
  terminalSize?: TerminalSize
  /** Subscribes to the local terminal's size changes; returns the unsubscribe. */
  onResize?: (listener: (size: TerminalSize) => void) => () => void
}

export interface CommandPlan {
  argv: readonly string[]
  cwd: string
  env?: Record<string, string>
}

/** A terminal's size, when output goes to one (`exec -t` through core passes no size of its own). */
function sizeOf(stream: Writable): TerminalSize | undefined {
  const tty = stream as Writable & { isTTY?: boolean; columns?: number; rows?: number }
  return tty.isTTY === true && tty.columns && tty.rows ? { cols: tty.columns, rows: tty.rows } : undefined
}

/** Explains a failure to open the exec channel; the SDK only says "non-101 status code", so this asks the API. */
export type Diagnose = (error: unknown) => Promise<NexusErrorLike>

/**
 * Runs argv in the sprite through `bash -lc` over the SDK's exec WebSocket: output streamed as it comes, stdin
 * piped once the channel is open (the SDK drops what is written before), the exit code exact (one byte, as the
 * protocol carries it; in TTY mode the SDK only knows 0 or 1).
 */
export function runOnSprite(
  sprite: Sprite,
  plan: CommandPlan,
  io: CommandIo,
  diagnose: Diagnose,
): Promise<number> {
  const size = io.terminalSize ?? sizeOf(io.stdout) ?? { cols: 80, rows: 24 }
  const command = sprite.spawn('bash', ['-lc', commandScript(plan.argv, plan.env)], {
    cwd: plan.cwd,
    ...(io.tty ? { tty: true, cols: size.cols, rows: size.rows } : {}),
  })
  return new Promise<number>((resolve, reject) => {
    let opened = false
    let exited = false
    let settled = false
    const cleanups: Array<() => void> = []
    const settle = (outcome: { code: number } | { error: NexusErrorLike }): void => {
      if (settled) return
      settled = true
      for (const cleanup of cleanups.splice(0)) cleanup()
      if ('code' in outcome) resolve(outcome.code)
      else reject(outcome.error)
    }
    const lost = (): NexusError =>
      new NexusError(
        'BACKEND_UNAVAILABLE',
        `The connection to sprite ${sprite.name} broke while the command ran.`,
        {
          suggestion:
            'Check your network and run the command again; the sprite may have restarted (a checkpoint restore does that).',
        },
      )

    command.stdout.on('data', (chunk: Buffer) => io.stdout.write(chunk))
    command.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk))
    command.on('error', (error: unknown) => {
      // Writing stdin to a channel the command already closed fails; its exit status still decides.
      if (exited) return
      if (opened) return settle({ error: lost() })
      diagnose(error).then((mapped) => settle({ error: mapped }))
    })
    command.on('spawn', () => {
      opened = true
      const stdin = io.stdin
      if (stdin) {
        stdin.pipe(command.stdin)
        cleanups.push(() => stdin.unpipe(command.stdin))
      } else {
        command.stdin.end()
      }
      if (io.tty && io.onResize) cleanups.push(io.onResize((next) => command.resize(next.cols, next.rows)))
    })
    command.on('exit', (code: number) => {
      exited = true
      // The SDK ends its output streams on exit; what was already pushed must reach ours first.
      Promise.all([
        finished(command.stdout, { writable: false }),
        finished(command.stderr, { writable: false }),
      ])
        .catch(() => undefined)
        .then(() => settle(code < 0 ? { error: lost() } : { code }))
    })
  })
}

/** Runs argv and keeps its combined output, for nexus's own steps (transfer, clone, wake). */
export async function captureOnSprite(
  sprite: Sprite,
  plan: CommandPlan,
  diagnose: Diagnose,
  stdin?: Readable,
): Promise<{ exitCode: number; output: string }> {
  const chunks: Buffer[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk)
      callback()
    },
  })
  const exitCode = await runOnSprite(
    sprite,
    plan,
    { stdout: sink, stderr: sink, ...(stdin ? { stdin } : {}) },
    diagnose,
  )
  return { exitCode, output: Buffer.concat(chunks).toString('utf8') }
}
