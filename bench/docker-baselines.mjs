// Raw Docker engine operations on the nexus workspace image, measured in the same run as nexus's own numbers.
// The docker CLI is fine here: it is the baseline, not product code.
import { measure, run, timeCommand } from './lib.mjs'

export async function dockerBaselines({ runs, nexusOut }) {
  // Let nexus build its workspace image once, then time the engine on that very image.
  nexusOut('workspace', 'create', 'bench-image', '--backend', 'docker')
  const image = run([
    'docker',
    'inspect',
    '--format',
    '{{.Config.Image}}',
    JSON.parse(nexusOut('workspace', 'info', 'bench-image', '--json')).backendRef.containerId,
  ]).trim()
  nexusOut('workspace', 'destroy', 'bench-image', '--force')
  const docker = (...a) => timeCommand(['docker', ...a])
  // PID 1 that exits on SIGTERM like sshd does, so `docker stop` is not a 10 s kill timeout.
  const sleeper = ['--entrypoint', 'sh', image, '-c', 'trap "exit 0" TERM; sleep infinity & wait']
  let n = 0
  const create = await measure({
    runs,
    setup: () => `nexus-bench-raw-${process.pid}-${n++}`,
    fn: (name) => docker('run', '-d', '--name', name, ...sleeper),
    teardown: (name) => run(['docker', 'rm', '-f', name]),
  })
  const name = `nexus-bench-raw-${process.pid}-long`
  run(['docker', 'run', '-d', '--name', name, ...sleeper])
  const stop = await measure({
    runs,
    fn: () => docker('stop', '-t', '10', name),
    teardown: () => run(['docker', 'start', name]),
  })
  const start = await measure({
    runs,
    setup: () => run(['docker', 'stop', '-t', '0', name]),
    fn: () => docker('start', name),
  })
  const exec = await measure({ runs, fn: () => docker('exec', name, 'true') })
  const pause = await measure({ runs, fn: () => docker('pause', name) + docker('unpause', name) })
  run(['docker', 'rm', '-f', name])
  return {
    create: ['`docker run -d` (create+start)', create],
    start: ['`docker start`', start],
    stop: ['`docker stop`', stop],
    exec: ['`docker exec true`', exec],
    pause: ['`docker pause`+`unpause`', pause],
  }
}
