import { providersHook } from '@nexus/core'

// dockerode (~100 ms to import) and the rest of the provider load in load().
export default providersHook([
  {
    name: 'docker',
    summary: 'A container per workspace over its git worktree, reachable by SSH (local Docker engine).',
    load: () => import('../provider.js'),
  },
])
