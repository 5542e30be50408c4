import { Readable } from 'node:stream'
import tar from 'tar-stream'
import { ENTRYPOINT_SCRIPT, HEALTHCHECK_SCRIPT, workspaceDockerfile } from './recipe.js'

/** The build context for the workspace image: the Dockerfile and the two scripts it copies. */
export function workspaceBuildContext(base: string): Readable {
  const pack = tar.pack()
  const mtime = new Date(0)
  pack.entry({ name: 'Dockerfile', mode: 0o644, mtime }, workspaceDockerfile(base))
  pack.entry({ name: 'nexus-entrypoint', mode: 0o755, mtime }, ENTRYPOINT_SCRIPT)
  pack.entry({ name: 'nexus-healthcheck', mode: 0o755, mtime }, HEALTHCHECK_SCRIPT)
  pack.finalize()
  // tar-stream packs are streamx streams; docker-modem pipes the context, so hand it a Node stream.
  return Readable.from(pack)
}
