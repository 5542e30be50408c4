import { docker, type Sandbox } from './harness.js'

/** The Docker resources carrying the sandbox repository's label, by kind. */
export async function labelledResources(
  sandbox: Sandbox,
): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
  const label = `label=dev.nexus.repo=${sandbox.repo}`
  const ids = (args: string[]) => docker(args).then((out) => out.split('\n').filter(Boolean))
  const [containers, networks, volumes] = await Promise.all([
    ids(['ps', '-aq', '--filter', label]),
    ids(['network', 'ls', '-q', '--filter', label]),
    ids(['volume', 'ls', '-q', '--filter', label]),
  ])
  return { containers, networks, volumes }
}

/** Removes whatever a test left in the engine for its sandbox, whatever state the test ended in. */
export async function removeLabelled(sandbox: Sandbox): Promise<void> {
  const { containers, networks, volumes } = await labelledResources(sandbox)
  if (containers.length) await docker(['rm', '-f', ...containers]).catch(() => undefined)
  if (networks.length) await docker(['network', 'rm', ...networks]).catch(() => undefined)
  if (volumes.length) await docker(['volume', 'rm', '-f', ...volumes]).catch(() => undefined)
}
