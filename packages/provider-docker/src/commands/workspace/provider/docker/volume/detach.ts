import { DockerCommand } from '../../../../../cli/docker-command.js'
import { volumeFlag, workspaceArg } from '../../../../../cli/flags.js'

export default class DockerVolumeDetach extends DockerCommand {
  static override summary = 'Unmount a volume from a workspace (the volume is kept).'
  static override description =
    'Runs the docker.volume.detach operation; the container is recreated as for attach.'
  static override examples = [
    '<%= config.bin %> workspace provider docker volume detach feature-x --volume cache',
  ]
  static override args = { workspace: workspaceArg }
  static override flags = { volume: volumeFlag }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DockerVolumeDetach)
    await this.runOperation(flags, 'docker.volume.detach', { volume: flags.volume }, args.workspace)
  }
}
