import { Flags } from '@oclif/core'
import { DockerCommand } from '../../../../../cli/docker-command.js'
import { workspaceArg } from '../../../../../cli/flags.js'

export default class DockerImageCache extends DockerCommand {
  static override summary = "Commit a workspace container's filesystem to an image."
  static override description =
    'Runs the docker.image.cache operation. Use the image for new workspaces with --image; /workspace and volumes are not part of it.'
  static override examples = [
    '<%= config.bin %> workspace provider docker image cache feature-x --to team/dev:warm',
  ]
  static override args = { workspace: workspaceArg }
  static override flags = {
    from: Flags.string({
      description: "A service whose container to commit instead of the workspace's own.",
    }),
    to: Flags.string({ description: 'Image to write (default: nexus-cache/<repo>-<workspace>:latest).' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DockerImageCache)
    await this.runOperation(flags, 'docker.image.cache', { from: flags.from, to: flags.to }, args.workspace)
  }
}
