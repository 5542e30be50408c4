import { providersHook } from '@nexus/core'

// The provider, and later still the Daytona SDK with its ~100 MB of dependencies, load in load().
export default providersHook([
  {
    name: 'daytona',
    summary:
      'A Daytona cloud sandbox per workspace, reachable by SSH, with snapshots, previews, LSP and file APIs.',
    load: () => import('../provider.js'),
  },
])
