import { Args } from '@oclif/core'
import { DockerCommand } from '../../../../../cli/docker-command.js'

export default class DockerNetworkCreate extends DockerCommand {
  static override summary = 'Create a Docker network that workspaces can join.'
  static override description = 'Runs the docker.network.create operation; join it with `network connect`.'
  static override examples = ['<%= config.bin %> workspace provider docker network create shared-db']
  static override args = { network: Args.string({ required: true, description: 'Docker network name.' }) }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DockerNetworkCreate)
    await this.runOperation(flags, 'docker.network.create', { network: args.network })
  }
}
