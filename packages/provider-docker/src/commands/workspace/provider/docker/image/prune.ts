import { DockerCommand } from '../../../../../cli/docker-command.js'

export default class DockerImagePrune extends DockerCommand {
  static override summary = 'Remove dangling images that nexus built.'
  static override description = 'Runs the docker.image.prune operation; images of other tools are left alone.'
  static override examples = ['<%= config.bin %> workspace provider docker image prune']

  async run(): Promise<void> {
    const { flags } = await this.parse(DockerImagePrune)
    await this.runOperation(flags, 'docker.image.prune', {})
  }
}
