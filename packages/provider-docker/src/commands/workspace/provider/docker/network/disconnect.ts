import { DockerCommand } from '../../../../../cli/docker-command.js'
import { networkFlag, workspaceArg } from '../../../../../cli/flags.js'

export default class DockerNetworkDisconnect extends DockerCommand {
  static override summary = 'Disconnect a workspace from a Docker network.'
  static override description =
    "Runs the docker.network.disconnect operation; the workspace's own network stays."
  static override examples = [
    '<%= config.bin %> workspace provider docker network disconnect feature-x --network shared-db',
  ]
  static override args = { workspace: workspaceArg }
  static override flags = { network: networkFlag }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DockerNetworkDisconnect)
    await this.runOperation(flags, 'docker.network.disconnect', { network: flags.network }, args.workspace)
  }
}
