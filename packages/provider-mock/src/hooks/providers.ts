import { providersHook } from '@nexus/core'

export default providersHook([
  {
    name: 'mock',
    summary:
      'Workspaces on the host: a state file per workspace and commands run in the worktree (tests, demos).',
    load: () => import('../provider.js'),
  },
])
