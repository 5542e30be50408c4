// The nexus benchmark: `pnpm bench [--runs N] [--backends mock,docker] [--help-reference <other checkout>]`.
// Every nexus number stands beside the raw operation it wraps, measured in the same run on the same machine, so
// the ratio says what nexus adds. Writes a markdown table to stdout and JSON to bench/results/.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatSeconds, measure, run, timeCommand } from './lib.mjs'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}
const RUNS = Number(option('runs', '7'))
const BACKENDS = option('backends', 'mock,docker').split(',')
const NEXUS = [process.execPath, join(root, 'packages/cli/bin/run.js')]
// Another checkout's CLI (e.g. the commit before a plugin was added), to compare `--help` within the same run.
const HELP_REFERENCE = option('help-reference', undefined)

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'nexus-bench-')))
const repo = join(scratch, 'repo')
mkdirSync(repo)
const env = {
  ...process.env,
  NEXUS_HOME: join(scratch, 'home'),
  NEXUS_SYSTEM_CONFIG: join(scratch, 'system.yaml'),
  NEXUS_DATA_DIR: join(scratch, 'data'),
}
delete env.NODE_ENV
delete env.SSH_AUTH_SOCK
const git = (...a) => run(['git', '-C', repo, ...a])
git('init', '-q', '-b', 'main')
for (let i = 0; i < 200; i++) writeFileSync(join(repo, `file-${i}.txt`), `content ${i}\n`)
git('add', '.')
git('-c', 'user.email=b@b', '-c', 'user.name=b', 'commit', '-q', '-m', 'init')

const nexus = (...a) => timeCommand([...NEXUS, ...a], { cwd: repo, env })
const nexusOut = (...a) => run([...NEXUS, ...a], { cwd: repo, env })
const rows = []
const record = (group, name, nexusStat, baselineName, baselineStat, goal) => {
  rows.push({ group, name, nexus: nexusStat, baseline: baselineName, baselineStat, goal })
  console.error(
    `  ${group} ${name}: ${formatSeconds(nexusStat.median)}${baselineStat ? ` (raw ${formatSeconds(baselineStat.median)})` : ''}`,
  )
}

let counter = 0
const fresh = (prefix) => `${prefix}-${process.pid % 1000}-${counter++}`

console.error(`nexus benchmark: ${RUNS} runs each, node ${process.version}, scratch ${scratch}`)
const nodeBaseline = await measure({ runs: RUNS, fn: () => timeCommand([process.execPath, '-e', '0']) })
record(
  'startup',
  '`nexus --help`',
  await measure({ runs: RUNS, fn: () => nexus('--help') }),
  '`node -e 0`',
  nodeBaseline,
  0.15,
)
if (HELP_REFERENCE) {
  const reference = [process.execPath, join(HELP_REFERENCE, 'packages/cli/bin/run.js')]
  record(
    'startup',
    '`nexus --help`, reference build',
    await measure({ runs: RUNS, fn: () => timeCommand([...reference, '--help'], { cwd: repo, env }) }),
    '`node -e 0`',
    nodeBaseline,
  )
}

async function backendSuite(backend, baselines) {
  const createGoal = backend === 'docker' ? 0.6 : undefined
  record(
    backend,
    'create',
    await measure({
      runs: RUNS,
      setup: () => fresh('c'),
      fn: (name) => nexus('workspace', 'create', name, '--backend', backend),
      teardown: (name) => nexus('workspace', 'destroy', name, '--force'),
    }),
    baselines.create?.[0],
    baselines.create?.[1],
    createGoal,
  )
  record(
    backend,
    'destroy',
    await measure({
      runs: RUNS,
      setup: () => {
        const name = fresh('d')
        nexus('workspace', 'create', name, '--backend', backend)
        return name
      },
      fn: (name) => nexus('workspace', 'destroy', name, '--force'),
    }),
  )
  const name = fresh('w')
  nexus('workspace', 'create', name, '--backend', backend)
  record(
    backend,
    'stop',
    await measure({
      runs: RUNS,
      fn: () => nexus('workspace', 'stop', name),
      teardown: () => nexus('workspace', 'start', name),
    }),
    baselines.stop?.[0],
    baselines.stop?.[1],
  )
  record(
    backend,
    'start',
    await measure({
      runs: RUNS,
      setup: () => nexus('workspace', 'stop', name),
      fn: () => nexus('workspace', 'start', name),
    }),
    baselines.start?.[0],
    baselines.start?.[1],
    backend === 'docker' ? 0.35 : undefined,
  )
  record(
    backend,
    'exec `true`',
    await measure({ runs: RUNS, fn: () => nexus('workspace', 'exec', name, '--', 'true') }),
    baselines.exec?.[0],
    baselines.exec?.[1],
    backend === 'docker' ? 0.2 : undefined,
  )
  record(
    backend,
    'pause + resume',
    await measure({
      runs: RUNS,
      fn: () => nexus('workspace', 'pause', name) + nexus('workspace', 'resume', name),
    }),
    baselines.pause?.[0],
    baselines.pause?.[1],
  )
  if (backend === 'docker') {
    const sshConfig = join(env.NEXUS_HOME, 'ssh_config')
    record(
      backend,
      'ssh connect + `true`',
      await measure({ runs: RUNS, fn: () => timeCommand(['ssh', '-F', sshConfig, `${name}.nexus`, 'true']) }),
    )
  }
  const other = fresh('s')
  nexus('workspace', 'create', other, '--backend', backend)
  let target = 0
  record(
    backend,
    'switch',
    await measure({
      runs: RUNS,
      fn: () => nexus('workspace', 'switch', [name, other][target++ % 2]),
    }),
    baselines.pause?.[0],
    baselines.pause?.[1],
    backend === 'docker' ? 0.3 : undefined,
  )
  nexus('workspace', 'switch', name)
  nexus('workspace', 'destroy', other, '--force')
  writeFileSync(join(repo, '.nexus', 'worktrees', name, 'scratch.txt'), 'uncommitted\n')
  let snap = 0
  record(
    backend,
    'snapshot create',
    await measure({
      runs: RUNS,
      setup: () => `snap-${snap++}`,
      fn: (s) => nexus('workspace', 'snapshot', 'create', name, s),
      teardown: (s) => nexus('workspace', 'snapshot', 'delete', name, s),
    }),
    undefined,
    undefined,
    backend === 'docker' ? 2 : undefined,
  )
  nexus('workspace', 'snapshot', 'create', name, 'base')
  record(
    backend,
    'snapshot restore',
    await measure({
      runs: RUNS,
      fn: () => nexus('workspace', 'snapshot', 'restore', name, 'base'),
    }),
    undefined,
    undefined,
    backend === 'docker' ? 3 : undefined,
  )
  nexus('workspace', 'snapshot', 'delete', name, 'base')
  const created = [name]
  for (const size of [1, 10, 50]) {
    while (created.length < size) {
      const extra = fresh('l')
      nexus('workspace', 'create', extra, '--backend', backend)
      created.push(extra)
    }
    record(
      backend,
      `list (${size})`,
      await measure({ runs: RUNS, fn: () => nexus('workspace', 'list', '--json') }),
      undefined,
      undefined,
      backend === 'docker' ? 0.15 : 0.2,
    )
  }
  // ls asks the backend about running workspaces (the truth after a crash); --cached reads state only.
  record(
    backend,
    'list (50), --cached',
    await measure({ runs: RUNS, fn: () => nexus('workspace', 'list', '--cached', '--json') }),
    undefined,
    undefined,
    backend === 'docker' ? 0.15 : 0.2,
  )
  for (const each of created) nexus('workspace', 'destroy', each, '--force', '--with-snapshots')
}

if (BACKENDS.includes('mock')) {
  const worktreeBaseline = await measure({
    runs: RUNS,
    setup: () => fresh('raw'),
    fn: (name) =>
      timeCommand(['git', '-C', repo, 'worktree', 'add', '-q', '-b', `raw/${name}`, join(scratch, name)]),
    teardown: (name) => {
      run(['git', '-C', repo, 'worktree', 'remove', '--force', join(scratch, name)])
      git('branch', '-D', `raw/${name}`)
    },
  })
  await backendSuite('mock', {
    create: ['`git worktree add`', worktreeBaseline],
    exec: ['`node -e 0`', nodeBaseline],
  })
}

if (BACKENDS.includes('docker')) {
  const engineUp = (() => {
    try {
      execFileSync('docker', ['version'], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  })()
  if (!engineUp) console.error('docker: no engine answers; skipped (run scripts/ensure-docker.sh)')
  else {
    // No registry here: point the docker backend at the offline base that scripts/ensure-docker.sh makes.
    const base = process.env.NEXUS_BASE_IMAGE ?? 'nexus-base:bookworm'
    mkdirSync(env.NEXUS_HOME, { recursive: true })
    writeFileSync(
      join(env.NEXUS_HOME, 'config.yaml'),
      `version: "2"\nbackends:\n  docker:\n    base_image: ${base}\n`,
    )
    const { dockerBaselines } = await import('./docker-baselines.mjs')
    await backendSuite('docker', await dockerBaselines({ runs: RUNS, nexusOut, scratch, repo, env }))
  }
}

const lines = [
  `| group | operation | nexus median | nexus p95 | raw baseline | baseline median | ratio | goal |`,
  `|---|---|---|---|---|---|---|---|`,
  ...rows.map((r) => {
    const ratio = r.baselineStat ? `${(r.nexus.median / r.baselineStat.median).toFixed(1)}×` : '—'
    const goal = r.goal === undefined ? '—' : `${r.nexus.median <= r.goal ? '✔' : '✖'} ≤ ${r.goal} s`
    return `| ${r.group} | ${r.name} | ${formatSeconds(r.nexus.median)} | ${formatSeconds(r.nexus.p95)} | ${r.baseline ?? '—'} | ${r.baselineStat ? formatSeconds(r.baselineStat.median) : '—'} | ${ratio} | ${goal} |`
  }),
]
console.log(`Node ${process.version}, ${RUNS} runs each (after one warm-up), ${new Date().toISOString()}\n`)
console.log(lines.join('\n'))
mkdirSync(join(root, 'bench/results'), { recursive: true })
const out = join(root, 'bench/results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
writeFileSync(out, JSON.stringify({ node: process.version, runs: RUNS, rows }, null, 2))
console.error(`results: ${out}`)
