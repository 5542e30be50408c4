import { join } from 'node:path'

/** Where nexus keeps its SSH material under `$NEXUS_HOME`. */
export function sshPaths(nexusHome: string): {
  keysDir: string
  privateKey: string
  publicKey: string
  sshConfig: string
} {
  const keysDir = join(nexusHome, 'keys')
  return {
    keysDir,
    privateKey: join(keysDir, 'id_ed25519'),
    publicKey: join(keysDir, 'id_ed25519.pub'),
    sshConfig: join(nexusHome, 'ssh_config'),
  }
}
