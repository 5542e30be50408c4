import { DockerCommand } from '../../../../../cli/docker-command.js'
import { networkFlag, workspaceArg } from '../../../../../cli/flags.js'

export default class DockerNetworkConnect extends DockerCommand {
  static override summary = 'Connect a workspace to a Docker network (kept across restarts).'
  static override description =
    'Runs the docker.network.connect operation; other containers on it reach the workspace by its name.'
  static override examples = [
    '<%= config.bin %> workspace provider docker network connect feature-x --network shared-db',
  ]
  static override args = { workspace: workspaceArg }
  static override flags = { network: networkFlag }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DockerNetworkConnect)
    await this.runOperation(flags, 'docker.network.connect', { network: flags.network }, args.workspace)
  }
}
