import { Args, Flags } from '@oclif/core'

export const workspaceArg = Args.string({ name: 'workspace', required: true, description: 'Workspace name.' })

export const snapshotFlag = Flags.string({
  char: 'n',
  aliases: ['snapshot'],
  required: true,
  description: 'Snapshot name (lower-case letters, digits and dashes).',
})

export const portFlag = Flags.integer({
  char: 'p',
  required: true,
  min: 1,
  max: 65535,
  description: 'Port in the sandbox.',
})

export const languageFlag = Flags.string({
  char: 'l',
  required: true,
  options: ['python', 'typescript', 'javascript'],
  description: 'Language server.',
})

export const pathFlag = Flags.string({
  description: "Project directory in the sandbox (default: the workspace's code).",
})
