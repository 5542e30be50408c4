import { Flags } from '@oclif/core'
import { DockerCommand } from '../../../../../cli/docker-command.js'

export default class DockerImageBuild extends DockerCommand {
  static override summary = 'Build (or rebuild) the workspace image.'
  static override description =
    'Runs the docker.image.build operation: sshd, git, sudo and a user with your uid layered onto the base image. Workspaces build it on first use; run this after changing the base.'
  static override examples = [
    '<%= config.bin %> workspace provider docker image build',
    '<%= config.bin %> workspace provider docker image build --base ubuntu:24.04',
  ]
  static override flags = {
    base: Flags.string({ char: 'b', description: 'Base image (default: backends.docker.base_image).' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(DockerImageBuild)
    await this.runOperation(flags, 'docker.image.build', { base: flags.base })
  }
}
