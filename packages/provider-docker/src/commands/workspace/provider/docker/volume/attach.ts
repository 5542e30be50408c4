import { Flags } from '@oclif/core'
import { DockerCommand } from '../../../../../cli/docker-command.js'
import { volumeFlag, workspaceArg } from '../../../../../cli/flags.js'

export default class DockerVolumeAttach extends DockerCommand {
  static override summary = 'Mount a volume into a workspace.'
  static override description =
    'Runs the docker.volume.attach operation. Docker cannot add a mount to a live container, so the container is recreated: /workspace and volumes are kept, other changes to its filesystem are not.'
  static override examples = [
    '<%= config.bin %> workspace provider docker volume attach feature-x --volume cache --mount /cache',
  ]
  static override args = { workspace: workspaceArg }
  static override flags = {
    volume: volumeFlag,
    mount: Flags.string({ char: 'm', required: true, description: 'Absolute path inside the workspace.' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DockerVolumeAttach)
    await this.runOperation(
      flags,
      'docker.volume.attach',
      { volume: flags.volume, mount: flags.mount },
      args.workspace,
    )
  }
}
