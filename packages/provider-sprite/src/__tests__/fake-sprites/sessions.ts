import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import type { WebSocket } from 'ws'
import { sendJson, sendNdjson } from './http.js'
import type { FakeSession, FakeSprite, FakeState } from './state.js'

/** Stream bytes of the non-TTY exec protocol: the first byte of every binary frame. */
const STDIN = 0
const STDOUT = 1
const STDERR = 2
const EXIT = 3
const STDIN_EOF = 4

let sessionCounter = 0

/**
 * `GET /v1/sprites/{name}/exec?cmd=…&path=…&stdin=true[&dir&env&tty&rows&cols]` upgraded to a WebSocket: runs the
 * argv for real on this host, in the sprite's scratch root. Non-TTY frames carry a stream byte; TTY mode is raw
 * bytes both ways (under `script`, which gives the command a real pty) and the close code tells success.
 */
export async function runExecSocket(
  state: FakeState,
  sprite: FakeSprite,
  socket: WebSocket,
  url: URL,
): Promise<void> {
  const argv = url.searchParams.getAll('cmd')
  const tty = url.searchParams.get('tty') === 'true'
  const dir = url.searchParams.get('dir') ?? '/home/sprite'
  const cwd = state.hostPath(sprite, dir)
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: state.hostPath(sprite, '/home/sprite'),
    LANG: 'C.UTF-8',
  }
  for (const pair of url.searchParams.getAll('env')) {
    const at = pair.indexOf('=')
    if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1)
  }
  if (tty) {
    const cols = Number(url.searchParams.get('cols') ?? 80)
    const rows = Number(url.searchParams.get('rows') ?? 24)
    state.terminalSizes.push({ cols, rows })
    env.TERM = 'xterm'
    env.COLUMNS = String(cols)
    env.LINES = String(rows)
  }
  // Synchronous: the client sends stdin as soon as the socket opens, and ws drops messages nobody listens to yet.
  mkdirSync(cwd, { recursive: true })
  const [file, ...args] = argv
  if (!file) {
    socket.close(1011, 'no command')
    return
  }
  const child = tty
    ? spawn('script', ['-qfec', argv.map(shellQuote).join(' '), '/dev/null'], { cwd, env })
    : spawn(file, args, { cwd, env })
  sessionCounter += 1
  const session: FakeSession = {
    id: String(sessionCounter),
    command: argv.join(' '),
    workdir: dir,
    tty,
    created: new Date().toISOString(),
    process: child,
  }
  sprite.sessions.set(session.id, session)
  sprite.status = 'running'

  const send = (stream: number, data: Buffer): void => {
    if (socket.readyState !== socket.OPEN) return
    socket.send(tty ? data : Buffer.concat([Buffer.from([stream]), data]))
  }
  child.stdout?.on('data', (data: Buffer) => send(STDOUT, data))
  child.stderr?.on('data', (data: Buffer) => send(STDERR, data))
  child.stdin?.on('error', () => undefined)

  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) {
      const message = JSON.parse(data.toString('utf8')) as {
        type?: string
        cols?: number
        rows?: number
        signal?: string
      }
      if (message.type === 'resize')
        state.terminalSizes.push({ cols: message.cols ?? 0, rows: message.rows ?? 0 })
      if (message.type === 'signal' && message.signal) child.kill(message.signal as NodeJS.Signals)
      return
    }
    if (tty) {
      child.stdin?.write(data)
      return
    }
    if (data[0] === STDIN) child.stdin?.write(data.subarray(1))
    else if (data[0] === STDIN_EOF) child.stdin?.end()
  })
  // The real server keeps commands running after a disconnect; the fake ends them to leave nothing behind.
  socket.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })

  const streamsDone = Promise.all([
    new Promise((resolve) => child.stdout?.once('close', resolve)),
    new Promise((resolve) => child.stderr?.once('close', resolve)),
  ])
  const exitCode = await new Promise<number>((resolve) => {
    child.once('error', () => resolve(127))
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + 9 : 1)))
  })
  await streamsDone
  sprite.sessions.delete(session.id)
  state.settle(sprite)
  if (tty) {
    socket.close(exitCode === 0 ? 1000 : 4000 + (exitCode & 0xff), 'exited')
    return
  }
  send(EXIT, Buffer.from([exitCode & 0xff]))
  socket.close(1000, 'exited')
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`
}

/** `GET /v1/sprites/{name}/exec`: the active sessions, in the shape the SDK reads. */
export function listSessions(sprite: FakeSprite, response: ServerResponse): void {
  sendJson(response, 200, {
    sessions: [...sprite.sessions.values()].map((session) => ({
      id: session.id,
      command: session.command,
      workdir: session.workdir,
      created: session.created,
      bytes_per_second: 0,
      is_active: true,
      tty: session.tty,
    })),
  })
}

/** `POST /v1/sprites/{name}/exec/{id}/kill`: signals the session's process and streams what happened. */
export async function killSession(
  sprite: FakeSprite,
  id: string,
  signal: string,
  response: ServerResponse,
): Promise<void> {
  const session = sprite.sessions.get(id)
  if (!session) return sendJson(response, 404, { error: 'not_found', message: `session ${id} not found` })
  const exited = new Promise<number>((resolve) =>
    session.process.once('exit', (code) => resolve(code ?? 137)),
  )
  session.process.kill(`SIG${signal.replace(/^SIG/, '')}` as NodeJS.Signals)
  const exitCode = await exited
  sendNdjson(response, [
    { type: 'signal', signal, pid: session.process.pid },
    { type: 'exited', exit_code: exitCode },
    { type: 'complete', exit_code: exitCode },
  ])
}

export function killSessions(sprite: FakeSprite): void {
  for (const session of sprite.sessions.values()) session.process.kill('SIGKILL')
  sprite.sessions.clear()
}
