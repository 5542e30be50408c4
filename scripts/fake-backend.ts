// Runs the local fake Daytona or Sprites API the tests use, so the remote backends can be tried without an account:
//   pnpm --filter @nexus/cli exec tsx ../../scripts/fake-backend.ts daytona   (or: sprite)
// It prints the variables to export in another shell, then serves until Ctrl-C. Commands run for real, on this
// machine, in a scratch directory per sandbox or sprite: a development aid, not a sandbox.
import { startFakeDaytona } from '../packages/provider-daytona/src/__tests__/fake-daytona/server.js'
import { startFakeSprites } from '../packages/provider-sprite/src/__tests__/fake-sprites/server.js'

const which = process.argv[2]
let close: () => Promise<void>
if (which === 'daytona') {
  const fake = await startFakeDaytona({ apiKey: 'fake-daytona-key' })
  console.log(`export DAYTONA_API_URL=${fake.apiUrl} DAYTONA_API_KEY=${fake.apiKey}`)
  close = () => fake.close()
} else if (which === 'sprite') {
  const token = 'fake-sprite-token'
  const fake = await startFakeSprites({ token })
  console.log(`export SPRITES_API_URL=${fake.url} SPRITE_TOKEN=${token}`)
  close = () => fake.close()
} else {
  console.error('usage: fake-backend.ts daytona|sprite')
  process.exit(2)
}
console.error(`fake ${which} API serving on 127.0.0.1; Ctrl-C to stop`)
process.once('SIGINT', () => void close().then(() => process.exit(0)))
process.once('SIGTERM', () => void close().then(() => process.exit(0)))
