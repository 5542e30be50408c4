#!/usr/bin/env node
// The kill -9 chaos run: `nexus workspace create` and `nexus workspace destroy` killed with SIGKILL at random
// points, then `nexus workspace repair --all`, then a count of everything left that belongs to no workspace.
//
//   node scripts/chaos.mjs [--runs 20] [--backend docker|mock] [--seed N] [--keep] [--json]
//
// Runs in a scratch repository with its own NEXUS_HOME (nothing of the machine's nexus is touched) against the
// built CLI (`pnpm --filter @nexus/core build && pnpm --filter @nexus/cli build`). Exits 1 when any count is not
// zero or a canary file was lost. Docker resources are found by the scratch repository's label only, so other
// nexus users of the same engine are never counted or touched.
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs, promisify } from 'node:util'

const run = promisify(execFile)
const BIN = fileURLToPath(new URL('../packages/cli/bin/run.js', import.meta.url))

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    backend: { type: 'string', default: 'docker' },
    seed: { type: 'string' },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
})
const runs = Number(flags.runs)
const backend = flags.backend
const seed = flags.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(flags.seed)
if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a positive whole number, got "${flags.runs}"`)
if (!['docker', 'mock'].includes(backend)) fail(`--backend must be docker or mock, got "${backend}"`)

function fail(message) {
  process.stderr.write(`chaos: ${message}\n`)
  process.exit(2)
}

/** mulberry32: a seeded PRNG, so that a run that found something can be replayed with --seed. */
function prng(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const random = prng(seed)
const log = (line) => flags.json || process.stderr.write(`${line}\n`)

// ---- the scratch world ----------------------------------------------------------------------------------------
const root = await realpath(await mkdtemp(join(tmpdir(), 'nexus-chaos-')))
const repo = join(root, `chaos-${basename(root).slice(-6).toLowerCase()}`)
const nexusHome = join(root, 'nexus-home')
const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: join(root, 'home'),
  NEXUS_HOME: nexusHome,
  NEXUS_SYSTEM_CONFIG: join(root, 'system', 'config.yaml'),
  NEXUS_DATA_DIR: join(root, 'oclif-data'),
  XDG_CACHE_HOME: join(root, 'cache'),
  XDG_CONFIG_HOME: join(root, 'xdg-config'),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Nexus Chaos',
  GIT_AUTHOR_EMAIL: 'chaos@nexus.invalid',
  GIT_COMMITTER_NAME: 'Nexus Chaos',
  GIT_COMMITTER_EMAIL: 'chaos@nexus.invalid',
  ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
}
await Promise.all([mkdir(repo), mkdir(env.HOME), mkdir(nexusHome)])
const git = async (args, cwd = repo) => (await run('git', args, { cwd, env })).stdout.trim()
await git(['init', '--quiet', '--initial-branch=main'])
await writeFile(join(repo, 'README.md'), '# chaos\n')
await git(['add', 'README.md'])
await git(['commit', '--quiet', '-m', 'initial'])
await mkdir(join(repo, '.nexus'))
const image = process.env.NEXUS_CHAOS_IMAGE ?? 'nexus-base:bookworm'
await writeFile(
  join(repo, '.nexus', 'config.yaml'),
  JSON.stringify({ defaults: { backend }, backends: { docker: { base_image: image } } }, null, 2),
)

/** Runs nexus to the end. */
function nexus(args) {
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: repo,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }))
  })
}

/** Runs nexus and kills it with SIGKILL after `ms`, unless it finished first. */
/**
 * Runs nexus and kills it with SIGKILL `ms` after it started — or, with `once`, `ms` after the workspace's record
 * first shows that status (polled every 5 ms) — unless it finished first.
 */
function nexusKilledAfter(args, ms, once) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: repo, env, stdio: 'ignore' })
    let exited = false
    let timer
    const kill = () => !exited && child.kill('SIGKILL')
    if (once) {
      const poll = async () => {
        if (exited) return
        if ((await statusOf(once.name)) === once.status) timer = setTimeout(kill, ms)
        else timer = setTimeout(poll, 5)
      }
      void poll()
    } else timer = setTimeout(kill, ms)
    child.on('exit', (code, signal) => {
      exited = true
      clearTimeout(timer)
      resolve({ killed: signal === 'SIGKILL', code })
    })
  })
}

async function statusOf(name) {
  const dir = join(nexusHome, 'state', 'workspaces')
  for (const file of existsSync(dir) ? await readdir(dir).catch(() => []) : []) {
    const record = JSON.parse(await readFile(join(dir, file), 'utf8').catch(() => '{}'))
    if (record.name === name) return record.status
  }
  return undefined
}

/**
 * Every fourth kill lands at a random point (0–150 ms) after the command recorded the status it works under —
 * `pending` for create, `destroying` for destroy — where most of its work happens; the rest at a random delay.
 */
const targeted = (i) => i % 4 === 3

const worktreeOf = (name) => join(repo, '.nexus', 'worktrees', name)
const delayWithin = (typicalMs, i) => {
  const from = i % 2 === 0 ? 50 : Math.min(bootMs, typicalMs - 50)
  return Math.round(from + random() * Math.max(typicalMs - from, 1))
}

/** What a kill left of workspace `name`: its record's status, or whether anything of it exists. */
async function phaseOf(name) {
  const dir = join(nexusHome, 'state', 'workspaces')
  for (const file of existsSync(dir) ? await readdir(dir) : []) {
    const record = JSON.parse(await readFile(join(dir, file), 'utf8').catch(() => '{}'))
    if (record.name === name) return `record ${record.status}`
  }
  return existsSync(worktreeOf(name)) ? 'worktree without record' : 'no record'
}
const phases = { create: {}, destroy: {} }
const hit = (op, phase) => (phases[op][phase] = (phases[op][phase] ?? 0) + 1)

// ---- the run --------------------------------------------------------------------------------------------------
log(`chaos: ${runs} creates and ${runs} destroys under kill -9 on ${backend}, seed ${seed}, in ${root}`)
const probeCreate = await nexus(['workspace', 'create', 'probe'])
if (probeCreate.code !== 0)
  fail(`a plain create fails, so there is nothing to measure:\n${probeCreate.stderr}`)
const probeDestroy = await nexus(['workspace', 'destroy', 'probe'])
if (probeDestroy.code !== 0) fail(`a plain destroy fails:\n${probeDestroy.stderr}`)
const createMs = probeCreate.ms
const destroyMs = probeDestroy.ms
// Until the CLI has booted (oclif, config, plugins) a kill can only ever hit "nothing done yet": half the kills
// are drawn from after that point, so that the interesting windows are hit often enough in 20 runs.
const bootMs = (await nexus(['workspace', 'ls'])).ms
await nexus(['workspace', 'create', 'probe2'])
await nexus(['workspace', 'stop', 'probe2'])
const destroyStoppedMs = (await nexus(['workspace', 'destroy', 'probe2'])).ms
log(
  `typical create ${createMs} ms, destroy ${destroyMs} ms (stopped: ${destroyStoppedMs} ms), boot ${bootMs} ms`,
)

const kills = { create: 0, destroy: 0 }
const started = Date.now()
for (let i = 0; i < runs; i++) {
  const ms = targeted(i) ? Math.round(random() * 150) : delayWithin(createMs, i)
  const once = targeted(i) ? { name: `c${i}`, status: 'pending' } : undefined
  const result = await nexusKilledAfter(['workspace', 'create', `c${i}`], ms, once)
  if (result.killed) kills.create++
  const phase = result.killed ? await phaseOf(`c${i}`) : 'finished'
  hit('create', phase)
  log(
    `create c${i}: ${result.killed ? `killed at ${once ? `${once.status}+` : ''}${ms} ms` : `finished before ${ms} ms (exit ${result.code})`}, left: ${phase}`,
  )
}

/**
 * Canaries: uncommitted files the user wrote into a worktree. `before` is written before the destroy starts (which
 * must then refuse, or be killed before it gets to check); `after` is written once the destroy was killed, as a
 * user who keeps working in the worktree before anyone runs repair.
 */
const canaries = []
for (let i = 0; i < runs; i++) {
  const name = `d${i}`
  const made = await nexus(['workspace', 'create', name])
  if (made.code !== 0) {
    log(`create ${name} (to destroy) failed, skipped: ${made.stderr.trim().split('\n').pop()}`)
    continue
  }
  const variant = ['before', 'after', 'none'][i % 3]
  const canary = {
    workspace: name,
    variant,
    path: join(worktreeOf(name), `canary-${name}.txt`),
    text: `canary ${name} ${seed}\n`,
  }
  if (variant === 'before') {
    await writeFile(canary.path, canary.text)
    canaries.push(canary)
  }
  // Every other workspace is destroyed stopped: its destroy goes straight to removing, a different set of windows.
  const stopped = Math.floor(i / 2) % 2 === 1
  if (stopped) await nexus(['workspace', 'stop', name])
  const ms = targeted(i) ? Math.round(random() * 150) : delayWithin(stopped ? destroyStoppedMs : destroyMs, i)
  const once = targeted(i) ? { name, status: 'destroying' } : undefined
  const result = await nexusKilledAfter(['workspace', 'destroy', name], ms, once)
  if (result.killed) kills.destroy++
  const phase = result.killed ? await phaseOf(name) : 'finished'
  hit('destroy', phase)
  if (variant === 'after' && result.killed) {
    // git children of the killed CLI may still be finishing what they started; let them.
    await sleep(500)
    if (existsSync(join(worktreeOf(name), '.git'))) {
      await writeFile(canary.path, canary.text)
      canaries.push(canary)
    }
  }
  log(
    `destroy ${name}${stopped ? ' (stopped)' : ''}: ${result.killed ? `killed at ${ms} ms` : `finished before ${ms} ms (exit ${result.code})`}, left: ${phase}${canaries.at(-1)?.workspace === name ? ` (canary ${variant})` : ''}`,
  )
}

const repair = await nexus(['workspace', 'repair', '--all', '--json'])
const repairDocument = JSON.parse(repair.stdout || 'null')
const report = repairDocument?.error ? repairDocument.error.details?.report : repairDocument
const again = await nexus(['workspace', 'repair', '--all', '--json'])
const againDocument = JSON.parse(again.stdout || 'null')
const againReport = againDocument?.error ? againDocument.error.details?.report : againDocument

// ---- the count ------------------------------------------------------------------------------------------------
const summary = await count()
summary.seed = seed
summary.backend = backend
summary.kills = kills
summary.leftByKill = phases
summary.repair = {
  exitCode: repair.code,
  errorCode: repairDocument?.error?.code ?? null,
  actions: report?.actions?.length ?? null,
  byOutcome: tally(report?.actions ?? []),
  secondRunActions: tally(againReport?.actions ?? []),
}
summary.durationSeconds = Math.round((Date.now() - started) / 1000)
const zero = [
  'containers',
  'networks',
  'volumes',
  'worktrees',
  'branches',
  'portReservations',
  'locks',
  'unreadableRecords',
]
const problems = zero.filter((key) => summary.orphaned[key].length > 0)
if (summary.canaries.lost.length > 0) problems.push('canaries lost')
const unexpected = (report?.actions ?? []).filter(
  (a) => a.outcome === 'failed' || (a.outcome === 'kept' && a.code !== 'UNCOMMITTED_CHANGES'),
)
if (unexpected.length > 0) problems.push('repair failures')
summary.repair.unexpected = unexpected
summary.ok = problems.length === 0

print(summary, problems)
if (!flags.keep) await teardown()
else log(`kept the scratch world in ${root}`)
process.exit(summary.ok ? 0 : 1)

function tally(actions) {
  const counts = {}
  for (const a of actions) counts[a.outcome] = (counts[a.outcome] ?? 0) + 1
  return counts
}

async function count() {
  const stateDir = join(nexusHome, 'state', 'workspaces')
  const files = existsSync(stateDir)
    ? (await readdir(stateDir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    : []
  const records = []
  const unreadableRecords = []
  for (const file of files) {
    try {
      records.push(JSON.parse(await readFile(join(stateDir, file), 'utf8')))
    } catch {
      unreadableRecords.push(file)
    }
  }
  const ids = new Set(records.map((w) => w.id))
  const names = new Set(records.map((w) => w.name))
  const labelled = async (kind) => {
    if (backend !== 'docker') return []
    const listing = {
      container: ['ps', '-a', '--format', '{{.Names}} {{.Label "dev.nexus.workspace-id"}}'],
      network: ['network', 'ls', '--format', '{{.Name}} {{.Label "dev.nexus.workspace-id"}}'],
      volume: ['volume', 'ls', '--format', '{{.Name}} {{.Label "dev.nexus.workspace-id"}}'],
    }[kind]
    const out = (await run('docker', [...listing, '--filter', `label=dev.nexus.repo=${repo}`])).stdout
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' '))
      .filter(([, id]) => !ids.has(id))
      .map(([name]) => name)
  }
  const treeDir = join(repo, '.nexus', 'worktrees')
  const trees = existsSync(treeDir) ? await readdir(treeDir) : []
  const registered = (await git(['worktree', 'list', '--porcelain']))
    .split('\n')
    .filter((l) => l.startsWith('worktree ') && l.includes('/.nexus/worktrees/'))
    .map((l) => basename(l.slice('worktree '.length)))
  const branches = (await git(['branch', '--list', 'nexus/*', '--format=%(refname:short)']))
    .split('\n')
    .filter(Boolean)
  const settled = new Set(['stopped', 'running', 'paused', 'error'])
  const blocks = records.map((w) => w.portBlockStart)
  const locksDir = join(nexusHome, 'state', 'locks')
  const lost = []
  for (const c of canaries) {
    const text = await readFile(c.path, 'utf8').catch(() => null)
    if (text !== c.text) lost.push(`${c.workspace} (${c.variant})`)
  }
  return {
    records: records.map((w) => `${w.name}:${w.status}`).sort(),
    orphaned: {
      containers: await labelled('container'),
      networks: await labelled('network'),
      volumes: await labelled('volume'),
      worktrees: [...new Set([...trees, ...registered])].filter((n) => !names.has(n)),
      branches: branches.filter((b) => !names.has(b.slice('nexus/'.length))),
      portReservations: records
        .filter((w, i) => !settled.has(w.status) || blocks.indexOf(w.portBlockStart) !== i)
        .map((w) => `${w.name}:${w.status}:${w.portBlockStart}`),
      locks: existsSync(locksDir) ? await readdir(locksDir) : [],
      unreadableRecords,
    },
    canaries: {
      written: canaries.length,
      intact: canaries.length - lost.length,
      lost,
      keptWorkspaces: records.filter((w) => w.lastError?.code === 'UNCOMMITTED_CHANGES').map((w) => w.name),
    },
  }
}

function print(summary, problems) {
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
    return
  }
  const o = summary.orphaned
  const line = (label, list) =>
    `  ${label.padEnd(34)} ${String(list.length).padStart(3)}${list.length ? `  (${list.join(', ')})` : ''}`
  process.stdout.write(
    [
      '',
      `Chaos summary (${summary.backend}, seed ${summary.seed}, ${summary.durationSeconds} s)`,
      `  creates killed mid-way            ${String(summary.kills.create).padStart(3)} of ${runs}`,
      `  destroys killed mid-way           ${String(summary.kills.destroy).padStart(3)} of ${runs}`,
      `  what the kills left (create)      ${JSON.stringify(summary.leftByKill.create)}`,
      `  what the kills left (destroy)     ${JSON.stringify(summary.leftByKill.destroy)}`,
      `  repair --all                      exit ${summary.repair.exitCode}${summary.repair.errorCode ? ` (${summary.repair.errorCode})` : ''}, ${JSON.stringify(summary.repair.byOutcome)}; second run ${JSON.stringify(summary.repair.secondRunActions)}`,
      `  workspaces left                   ${String(summary.records.length).padStart(3)}`,
      'Orphans (all must be 0):',
      line('containers', o.containers),
      line('networks', o.networks),
      line('volumes', o.volumes),
      line('worktrees', o.worktrees),
      line('nexus/* branches', o.branches),
      line('port reservations', o.portReservations),
      line('locks', o.locks),
      line('unreadable records', o.unreadableRecords),
      `Canaries: ${summary.canaries.intact} of ${summary.canaries.written} intact${summary.canaries.lost.length ? `, LOST: ${summary.canaries.lost.join(', ')}` : ''}; workspaces kept for uncommitted work: ${summary.canaries.keptWorkspaces.join(', ') || 'none'}`,
      summary.ok ? 'OK: zero orphans, no canary lost.' : `FAILED: ${problems.join(', ')}`,
      '',
    ].join('\n'),
  )
}

async function teardown() {
  const records = summaryRecords()
  for (const name of records) await nexus(['workspace', 'destroy', name, '--force'])
  if (backend === 'docker') {
    const label = `label=dev.nexus.repo=${repo}`
    const ids = async (args) => (await run('docker', args)).stdout.split('\n').filter(Boolean)
    const containers = await ids(['ps', '-aq', '--filter', label])
    if (containers.length) await run('docker', ['rm', '-f', ...containers]).catch(() => undefined)
    for (const kind of ['network', 'volume']) {
      const found = await ids([kind, 'ls', '-q', '--filter', label])
      if (found.length) await run('docker', [kind, 'rm', ...found]).catch(() => undefined)
    }
  }
  await rm(root, { recursive: true, force: true })
}

function summaryRecords() {
  return summary.records.map((r) => r.split(':')[0])
}
