import { providersHook } from '@nexus/core'

// The provider, zod and the Sprites SDK load in load() and later.
export default providersHook([
  {
    name: 'sprite',
    summary:
      'A fly.io Sprite microVM per workspace: exec and shells through the Sprites API, checkpoints, URLs.',
    load: () => import('../provider.js'),
  },
])
