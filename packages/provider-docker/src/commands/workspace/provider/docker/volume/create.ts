import { Flags } from '@oclif/core'
import { DockerCommand } from '../../../../../cli/docker-command.js'
import { volumeFlag, workspaceArg } from '../../../../../cli/flags.js'

export default class DockerVolumeCreate extends DockerCommand {
  static override summary = 'Create a named volume for a workspace.'
  static override description =
    'Runs the docker.volume.create operation. The volume outlives stop and start; mount it with `volume attach`.'
  static override examples = [
    '<%= config.bin %> workspace provider docker volume create feature-x --volume cache',
  ]
  static override args = { workspace: workspaceArg }
  static override flags = {
    volume: volumeFlag,
    size: Flags.integer({
      description: 'Size in GiB; needs a volume driver that supports sizes (backends.docker.volume_driver).',
      min: 1,
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DockerVolumeCreate)
    await this.runOperation(
      flags,
      'docker.volume.create',
      { volume: flags.volume, size: flags.size },
      args.workspace,
    )
  }
}
