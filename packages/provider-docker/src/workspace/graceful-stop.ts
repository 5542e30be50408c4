import { Writable } from 'node:stream'
import type { Workspace } from '@nexus/core'
import { workspaceUserFor } from '../image/builder.js'
import { namesFor } from './naming.js'
import type { DockerDeps } from './provision.js'

/**
 * Sends SIGTERM to every process of the workspace user except sshd's listener, then waits (up to $1 seconds) for
 * them to exit. Signals go per process because `docker stop` only signals PID 1: the init there ends with sshd,
 * and the kernel then SIGKILLs whatever else ran — a dev server or database started over SSH or exec would never
 * see a SIGTERM, nor get its grace period. Run as the workspace user, `kill` can reach exactly the user's processes
 * (no CAP_KILL in the container); whatever it cannot signal is not waited for. Plain POSIX sh over /proc, no
 * subshells, so the scan never sees itself.
 */
export const TERMINATE_SCRIPT = `grace=$1; self=$$; left=0
scan() {
  left=0
  for dir in /proc/[0-9]*; do
    pid=\${dir#/proc/}
    [ "$pid" = 1 ] || [ "$pid" = "$self" ] && continue
    state=; ppid=
    while read -r key value rest; do
      case $key in State:) state=$value ;; PPid:) ppid=$value ;; esac
    done 2>/dev/null < "$dir/status" || continue
    [ "$state" = Z ] && continue
    if [ "$ppid" = 1 ] && read -r comm 2>/dev/null < "$dir/comm" && [ "$comm" = sshd ]; then continue; fi
    kill -"$1" "$pid" 2>/dev/null || continue
    left=$((left + 1))
  done
}
scan TERM
ticks=0
while [ "$left" -gt 0 ] && [ "$ticks" -lt $((grace * 10)) ]; do
  sleep 0.1
  ticks=$((ticks + 1))
  scan 0
done
echo "$left"
`

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() })
}

/**
 * Gives the workspace's processes their grace period and returns the seconds of it that are left for `docker stop`.
 * A container whose shell cannot run the script (a stripped custom image) just gets the whole grace at `docker stop`.
 */
export async function terminateWorkspaceProcesses(
  deps: DockerDeps,
  workspace: Workspace,
  graceSeconds: number,
): Promise<number> {
  const started = deps.clock.now()
  const grace = Math.floor(graceSeconds)
  if (grace <= 0) return graceSeconds
  try {
    await deps.engine.exec(namesFor(workspace).container, {
      command: ['sh', '-c', TERMINATE_SCRIPT, 'nexus-stop', String(grace)],
      user: workspaceUserFor(deps.identity),
      cwd: '/',
      stdout: discard(),
      stderr: discard(),
    })
  } catch {
    return graceSeconds
  }
  const spentSeconds = (deps.clock.now() - started) / 1000
  return Math.max(0, Math.ceil(graceSeconds - spentSeconds))
}
