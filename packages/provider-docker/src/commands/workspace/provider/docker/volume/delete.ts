import { DockerCommand } from '../../../../../cli/docker-command.js'
import { volumeFlag, workspaceArg } from '../../../../../cli/flags.js'

export default class DockerVolumeDelete extends DockerCommand {
  static override summary = "Delete a workspace's volume and its data."
  static override description =
    'Runs the docker.volume.delete operation. An attached volume must be detached first.'
  static override examples = [
    '<%= config.bin %> workspace provider docker volume delete feature-x --volume cache',
  ]
  static override args = { workspace: workspaceArg }
  static override flags = { volume: volumeFlag }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DockerVolumeDelete)
    await this.runOperation(flags, 'docker.volume.delete', { volume: flags.volume }, args.workspace)
  }
}
