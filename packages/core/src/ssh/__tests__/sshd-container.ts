import { spawnSync } from 'node:child_process'
import { runProgram } from '../../util/exec-file.js'

export const SSHD_IMAGE = 'nexus-base:bookworm'

/** Container tests need a Docker engine; without one they are skipped, not failed. */
export function dockerAvailable(): boolean {
  return spawnSync('docker', ['version'], { stdio: 'ignore', timeout: 15_000 }).status === 0
}

export interface SshdContainer {
  id: string
  /** The host port (on 127.0.0.1) published for the container's port 22. */
  port: number
  remove(): Promise<void>
}

/**
 * A throwaway container running a real OpenSSH sshd as root that authorizes `authorizedKeys`. Only tests shell to
 * docker; product code never does.
 */
export async function startSshdContainer(authorizedKeys: string[]): Promise<SshdContainer> {
  const script = [
    'mkdir -p /run/sshd /root/.ssh',
    'chmod 700 /root/.ssh',
    'printf "%s\\n" "$AUTHORIZED_KEYS" > /root/.ssh/authorized_keys',
    'chmod 600 /root/.ssh/authorized_keys',
    'ssh-keygen -A >/dev/null',
    'exec /usr/sbin/sshd -D -e -o PermitRootLogin=prohibit-password -o AllowAgentForwarding=yes',
  ].join(' && ')
  const run = await runProgram('docker', [
    'run',
    '-d',
    '--rm',
    '--label',
    'nexus.test=ssh',
    '-p',
    '127.0.0.1::22',
    '-e',
    `AUTHORIZED_KEYS=${authorizedKeys.join('\n')}`,
    SSHD_IMAGE,
    'sh',
    '-c',
    script,
  ])
  if (run.exitCode !== 0) throw new Error(`docker run failed: ${run.stderr}`)
  const id = run.stdout.trim()
  const remove = async (): Promise<void> => {
    await runProgram('docker', ['rm', '-f', id])
  }
  const published = await runProgram('docker', ['port', id, '22/tcp'])
  const port = Number(/:(\d+)\s*$/m.exec(published.stdout)?.[1])
  if (!Number.isInteger(port) || port <= 0) {
    await remove()
    throw new Error(`could not read the published port of ${id}: ${published.stdout} ${published.stderr}`)
  }
  return { id, port, remove }
}
