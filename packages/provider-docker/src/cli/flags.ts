import { Args, Flags } from '@oclif/core'

export const workspaceArg = Args.string({ name: 'workspace', required: true, description: 'Workspace name.' })

export const volumeFlag = Flags.string({
  char: 'v',
  required: true,
  description: 'Volume name; the Docker volume is nexus-<repo>-<workspace>-<volume>.',
})

export const networkFlag = Flags.string({ char: 'n', required: true, description: 'Docker network name.' })
