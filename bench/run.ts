/**
 * `npm run bench`: measures this plugin, installed in the real `heroku` CLI from its packed file,
 * against a local server, and with `--official FILE.tgz` the official AppLink plugin beside it
 * (installed the same way, its runs alternating with ours). Prints one table: median (min–max) of
 * each, the ratio, the goal of issue 13, and pass/fail.
 *
 *   npm run bench                       # ours alone: build, pack, install, measure (10 runs each)
 *   npm run bench -- --official ../shared/anchors/heroku-cli-plugin-applink-2.0.3.tgz   # both, side by side
 *   npm run bench -- --runs 20          # more runs
 *   npm run bench -- --no-build         # reuse dist/ from an earlier `npm run build`
 *   npm run bench -- --only help,read   # some groups: version,help,startup,read,platform,oauth,publish,validate,invoke
 *   npm run bench -- --write-docs       # also write the table into docs/performance.md
 *   npm run bench -- --work DIR         # work files in DIR instead of .bench/
 *
 * Needs: `hyperfine` and GNU `time` (Debian: apt-get install -y hyperfine time), the npm registry
 * (to install the plugins' production dependencies). Work files go to .bench/ (git-ignored).
 */
import {generateKeyPairSync} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {cpus, loadavg, release, tmpdir, totalmem} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {type BenchSpec, benchSpecs} from './lib/specs.js'
import {type Env, hyperfine, type TimedCommand, run, type RunResult, stats} from './lib/measure.js'
import {type Figure, figureValue, markdownTable, notes, type Row, textTable, type Unit} from './lib/report.js'
import {type Backend, BENCH_APP, BENCH_AUTHORIZATION, BENCH_CONNECTION, BENCH_DATACLOUD, emulatorBackend, emulatorModulePath, type FlowKind, platformRounds} from './lib/backend.js'
import {startBenchApp, timeInvocations} from './lib/invoke.js'
import {bareCli, installPlugin, type Installed, localTarball, noBrowserEnv, packOurs} from './lib/stage.js'
import {startTlsRelay} from './lib/tls-relay.js'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
/** where every measured command runs: outside any git checkout, so no git remote is picked up */
const runDir = mkdtempSync(join(tmpdir(), 'applink-bench-cwd-'))

const GROUPS = ['version', 'help', 'startup', 'read', 'platform', 'oauth', 'publish', 'validate', 'invoke'] as const
type Group = typeof GROUPS[number]
/** Issue 13's goals. */
const GOAL = {invokeSeconds: 0.7, oauthExitSeconds: 0.5, oauthRatio: 0.25, publishMiB: 250, publishSeconds: 2, ratio: 0.7, validateSeconds: 1.5}
/** an app no server knows: every command that resolves it stops at the first Platform API answer (404) */
const MISSING_APP = 'bench-no-such-app'

const {values: opts} = parseArgs({
  options: {
    heroku: {type: 'string'},
    'no-build': {type: 'boolean'},
    official: {type: 'string'},
    only: {type: 'string'},
    runs: {default: '10', type: 'string'},
    server: {default: 'auto', type: 'string'},
    warmup: {default: '1', type: 'string'},
    work: {type: 'string'},
    'write-docs': {type: 'boolean'},
  },
})
/** packages, HOMEs, specs and results: .bench/ unless --work says otherwise (two runs at once need two) */
const work = opts.work ? resolve(opts.work) : join(repo, '.bench')

const runs = Math.max(1, Number(opts.runs))
const warmup = Math.max(0, Number(opts.warmup))
/** the OAuth flows take seconds each (the official plugin's about 11 s): fewer runs */
const flowRuns = Math.min(runs, 5)
const only = new Set<Group>(opts.only ? opts.only.split(',').map(s => s.trim() as Group) : GROUPS)
if (!['auto', 'emulator'].includes(opts.server as string)) throw new Error(`--server: the emulator is the only local server (auto or emulator), not ${opts.server}`)
for (const g of only) if (!GROUPS.includes(g)) throw new Error(`--only: unknown group ${g}; use ${GROUPS.join(',')}`)
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`)
let loadAtStart: number[] = []

interface Target {
  inst?: Installed
  key: 'official' | 'ours'
  /** why this plugin is not measured */
  missing?: string
}

const na = (reason: string): Figure => ({kind: 'na', reason})
const measured = (values: number[]): Figure => ({kind: 'measured', stats: stats(values)})
const firstLine = (r: RunResult) => ((r.stderr.trim() || r.stdout.trim()).split('\n').find(l => l.trim() && !l.includes('Warning:')) ?? `exit ${r.code}`).trim().slice(0, 160)

function argv(t: Target, args: string[]): string[] {
  return [...(t.inst as Installed).cli, ...args]
}

function envOf(t: Target, server?: Backend, extra: Env = {}): Env {
  return {...(t.inst as Installed).env, ...server?.env, ...extra}
}

interface Expect {
  /** the exit code; `nonzero` for any failure */
  code?: number | 'nonzero'
  stdout?: RegExp
  /** checked against the server's log after the probe */
  requests?: (server: Backend) => string | undefined
}

const exitOk = (expect: Expect, code: number) => expect.code === 'nonzero' ? code !== 0 : code === (expect.code ?? 0)

/** One run that must behave as expected before a command is timed; returns why not, or undefined. */
async function probe(t: Target, args: string[], expect: Expect, server?: Backend, extra: Env = {}): Promise<string | undefined> {
  if (!t.inst) return t.missing ?? 'not installed'
  server?.clearLog()
  const r = await run(argv(t, args)[0], argv(t, args).slice(1), {cwd: runDir, env: envOf(t, server, extra), timeoutMs: 60_000})
  if (!exitOk(expect, r.code)) return `exit ${r.code} (expected ${expect.code ?? 0}): ${firstLine(r)}`
  if (expect.stdout && !expect.stdout.test(r.stdout)) return `unexpected output: ${firstLine(r)}`
  if (expect.requests && server) return expect.requests(server)
  return undefined
}

interface Measured {
  rss: Figure
  time: Figure
}

/**
 * Wall time (hyperfine) and peak RSS (GNU time) of `heroku ARGS` for each plugin, from the same
 * runs, the plugins alternating. A plugin whose probe run misbehaves is `n/a` with the reason.
 */
async function measureCommand(targets: Target[], args: string[] | ((t: Target) => string[]), expects: Expect | ((t: Target) => Expect), server?: Backend, extra: Env = {}): Promise<Record<Target['key'], Measured>> {
  const argsOf = (t: Target) => typeof args === 'function' ? args(t) : args
  const expectOf = (t: Target) => typeof expects === 'function' ? expects(t) : expects
  const out = {} as Record<Target['key'], Measured>
  const ok: Target[] = []
  for (const t of targets) {
    const problem = await probe(t, argsOf(t), expectOf(t), server, extra)
    if (problem) {
      if (t.inst) log(`${t.key}: heroku ${argsOf(t).join(' ')}: n/a: ${problem}`)
      out[t.key] = {rss: na(problem), time: na(problem)}
    } else {
      ok.push(t)
    }
  }

  if (ok.length === 0) return out
  log(`timing: heroku ${argsOf(ok[0]).join(' ')} (${ok.map(t => t.key).join(', ')})`)
  const commands: TimedCommand[] = ok.map(t => ({argv: argv(t, argsOf(t)), env: envOf(t, server, extra), name: t.key}))
  const timings = await hyperfine(commands, {cwd: runDir, runs, warmup})
  for (const [i, t] of ok.entries()) {
    const bad = timings[i].exitCodes.filter(c => !exitOk(expectOf(t), c))
    out[t.key] = bad.length > 0
      ? {rss: na(`exit codes ${bad.join(',')} while timing`), time: na(`exit codes ${bad.join(',')} while timing`)}
      : {rss: {kind: 'measured', stats: timings[i].mib}, time: {cpu: timings[i].cpu, kind: 'measured', stats: timings[i].seconds}}
  }

  return out
}

function ratioRow(metric: string, ours: Figure, official: Figure, maxRatio: number): Row {
  const o = figureValue(ours)
  const f = figureValue(official)
  const ratio = o !== undefined && f !== undefined ? o / f : undefined
  return {goal: `≤ ${maxRatio}× official`, metric, official, ours, pass: ratio === undefined ? undefined : ratio <= maxRatio, ratio, unit: 's'}
}

function memRow(metric: string, ours: Figure, official: Figure): Row {
  const o = figureValue(ours)
  const f = figureValue(official)
  return {goal: '≤ official', metric, official, ours, pass: o === undefined || f === undefined ? undefined : o <= f, ratio: o !== undefined && f !== undefined ? o / f : undefined, unit: 'MiB'}
}

function limitRow(metric: string, unit: Unit, ours: Figure, official: Figure, max: number, goal?: string): Row {
  const o = figureValue(ours)
  const f = figureValue(official)
  return {goal: goal ?? `≤ ${max} ${unit}`, metric, official, ours, pass: o === undefined ? undefined : o <= max, ratio: o !== undefined && f !== undefined ? o / f : undefined, unit}
}

/** The two rows of a command measured against the official plugin: time ≤ 0.7×, memory ≤ official. */
function comparedRows(metric: string, m: Record<Target['key'], Measured>): Row[] {
  return [ratioRow(metric, m.ours.time, m.official.time, GOAL.ratio), memRow(metric, m.ours.rss, m.official.rss)]
}

// ---------------------------------------------------------------------------------------------

async function setup(): Promise<{bare: Installed; targets: Target[]}> {
  mkdirSync(work, {recursive: true})
  const cli = [opts.heroku ? resolve(opts.heroku) : join(repo, 'node_modules', '.bin', 'heroku')]
  if (!existsSync(cli[0])) throw new Error(`no heroku CLI at ${cli[0]}: run npm ci (it is a dev dependency) or pass --heroku PATH`)
  for (const tool of ['hyperfine', '/usr/bin/time']) {
    const r = await run('sh', ['-c', `command -v ${tool}`], {env: process.env})
    if (r.code !== 0) throw new Error(`${tool} is missing: apt-get install -y hyperfine time`)
  }

  const official: Target = {key: 'official', missing: 'not measured (run with --official FILE.tgz)'}
  let officialFile: string | undefined
  if (opts.official) {
    officialFile = localTarball(opts.official)
    if (!officialFile) throw new Error(`--official ${opts.official}: no such .tgz file (or folder holding one)`)
  }

  const ours: Target = {key: 'ours'}
  const tgz = await packOurs(repo, join(work, 'packages'), {build: !opts['no-build'], log})
  ours.inst = await installPlugin(cli, tgz, join(work, 'home-ours'), 'ours', log)
  log(`ours: ${ours.inst.plugin}`)
  if (officialFile) {
    official.inst = await installPlugin(cli, officialFile, join(work, 'home-official'), 'official', log)
    official.missing = undefined
    log(`official: ${official.inst.plugin}`)
  }

  return {bare: bareCli(cli, join(work, 'home-bare')), targets: [ours, official]}
}

/** A JWT key and a tiny spec: the inputs the start-up runs need to get past argument checks. */
function startupInputs(): {key: string; spec: string} {
  const dir = join(work, 'inputs')
  mkdirSync(dir, {recursive: true})
  const key = join(dir, 'jwt-key.pem')
  if (!existsSync(key)) writeFileSync(key, generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey.export({format: 'pem', type: 'pkcs8'}))
  const spec = join(dir, 'tiny-spec.yaml')
  writeFileSync(spec, ['openapi: 3.0.3', 'info:', '  title: Bench', '  version: 1.0.0', 'paths:', '  /hello:', '    get:', '      operationId: hello', '      description: Says hello', '      responses:', "        '200':", '          description: OK', ''].join('\n'))
  return {key, spec}
}

/**
 * OAuth flows, run as plain child processes (the plugins alternating): approval (on the server's
 * timer, 1 s after creation) to exit, end to end, and start to the create request (the CLI, the
 * plugin and the Platform API rounds before the flow begins). Both get a browser that opens
 * nothing and a newline on stdin (the official plugin waits for Enter without a terminal).
 */
async function oauthRows(targets: Target[], server: Backend): Promise<Row[]> {
  const flows: {args: (i: number) => string[]; kind: FlowKind; name: string; resource: (i: number) => string}[] = [
    {args: i => ['salesforce:connect', `bench_conn_${i}`, '-a', BENCH_APP], kind: 'connection', name: 'salesforce:connect', resource: i => `bench_conn_${i}`},
    {args: i => ['salesforce:authorizations:add', `bench_auth_x${i}`, '-a', BENCH_APP], kind: 'authorization', name: 'salesforce:authorizations:add', resource: i => `bench_auth_x${i}`},
    {args: i => ['datacloud:data-action-target:create', `Bench Target ${i}`, '-o', BENCH_DATACLOUD, '-p', '/events', '-a', BENCH_APP], kind: 'data_action_target', name: 'datacloud:data-action-target:create', resource: i => `Bench_Target_${i}`},
  ]
  const browserless = noBrowserEnv(join(work, 'browser'))
  const rows: Row[] = []
  let seq = Date.now() % 100_000
  for (const flow of flows) {
    log(`timing: heroku ${flow.args(0).join(' ')} (${targets.filter(t => t.inst).map(t => t.key).join(', ')}, alternating)`)
    const e2e: Record<Target['key'], number[]> = {official: [], ours: []}
    const exit: Record<Target['key'], number[]> = {official: [], ours: []}
    const create: Record<Target['key'], number[]> = {official: [], ours: []}
    const problem: Partial<Record<Target['key'], string>> = {}
    for (const t of targets) if (!t.inst) problem[t.key] = t.missing ?? 'not installed'
    for (let i = 0; i < flowRuns; i++) {
      for (const t of i % 2 === 0 ? targets : [...targets].reverse()) {
        if (problem[t.key]) continue
        server.clearLog()
        const n = seq++
        const args = flow.args(n)
        const r = await run(argv(t, args)[0], argv(t, args).slice(1), {cwd: runDir, env: envOf(t, server, browserless), input: '\n', timeoutMs: 60_000})
        const approvedAt = r.code === 0 ? await server.approvalAt(flow.kind, flow.resource(n)) : undefined
        const createdAt = server.requests.find(q => q.method === 'POST' && q.at !== undefined)?.at
        if (r.code !== 0) problem[t.key] = `exit ${r.code}: ${firstLine(r)}`
        else if (approvedAt === undefined) problem[t.key] = `the ${server.name} approved nothing`
        else {
          e2e[t.key].push(r.elapsedMs / 1000)
          exit[t.key].push((r.exitAt - approvedAt) / 1000)
          if (createdAt !== undefined) create[t.key].push((createdAt - r.startAt) / 1000)
        }
      }
    }

    const fig = (key: Target['key'], values: Record<Target['key'], number[]>) => problem[key] ? na(problem[key] as string) : values[key].length > 0 ? measured(values[key]) : na(`the ${server.name} does not log arrival times`)
    const before = `${flow.name}: start → create request`
    rows.push(limitRow(`${flow.name}: approval → exit`, 's', fig('ours', exit), fig('official', exit), GOAL.oauthExitSeconds),
      ratioRow(`${flow.name}: end to end (approval after 1 s)`, fig('ours', e2e), fig('official', e2e), GOAL.oauthRatio),
      {goal: '—', info: true, metric: before, official: fig('official', create), ours: fig('ours', create), unit: 's'})
  }

  return rows
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB (${bytes.toLocaleString('en-US')} bytes)`

/**
 * Publishing the largest specs the service takes, and refusing one over the limit. The official
 * plugin reaches the AppLink API only over https on port 443 (see lib/tls-relay.ts): both plugins
 * get the relay's certificate, and the official one is refused by the service (it does not check
 * sizes itself), so its refusal only has to fail.
 */
async function publishRows(targets: Target[], server: Backend, specs: BenchSpec[]): Promise<Row[]> {
  const relay = targets[1].inst ? await startTlsRelay(server.env.HEROKU_HOST, work) : undefined
  if (typeof relay === 'string') log(`official: salesforce:publish: ${relay}`)
  const extra: Env = relay && typeof relay !== 'string' ? {NODE_EXTRA_CA_CERTS: relay.caFile} : {}
  const official = typeof relay === 'string' ? [targets[0], {...targets[1], inst: undefined, missing: relay}] : targets
  const rows: Row[] = []
  try {
    const publish = (file: string) => ['salesforce:publish', file, '--client-name', 'bench_client', '--connection-name', BENCH_CONNECTION, '-a', BENCH_APP]
    for (const s of specs.filter(x => !x.overLimit)) {
      const sentUpload = (srv: Backend) => srv.requests.some(r => r.method === 'POST' && r.path.endsWith('/apps') && r.status >= 200 && r.status < 300) ? undefined : 'no upload reached the server'
      const m = await measureCommand(official, publish(s.file), {requests: sentUpload}, server, extra)
      const label = `salesforce:publish ${mb(s.bytes)} ${s.format.toUpperCase()}, ${s.operations.toLocaleString('en-US')} operations`
      rows.push(limitRow(label, 's', m.ours.time, m.official.time, GOAL.publishSeconds, `< ${GOAL.publishSeconds} s`), limitRow(label, 'MiB', m.ours.rss, m.official.rss, GOAL.publishMiB, `< ${GOAL.publishMiB} MiB`))
    }

    const over = specs.find(x => x.overLimit) as BenchSpec
    const nothingSent = (srv: Backend) => srv.requests.length === 0 ? undefined : `it sent ${srv.requests.length} request(s)`
    const refused = (t: Target): Expect => t.key === 'ours' ? {code: 2, requests: nothingSent} : {code: 'nonzero'}
    const m = await measureCommand(official, publish(over.file), refused, server, extra)
    rows.push(limitRow(`salesforce:publish ${mb(over.bytes)} YAML (over the limit): refused`, 's', m.ours.time, m.official.time, 1, '< 1 s, exit 2, nothing sent'))
  } finally {
    if (relay && typeof relay !== 'string') await relay.close()
  }

  return rows
}

/**
 * `applink:invoke` of a tiny spec's operation against a local app, from the start of the run to
 * the request's arrival: through `heroku`, and through the installed plugin's own `bin/run.js`
 * (no heroku CLI around it), with the floor of each (`--version`) for scale.
 */
async function invokeRows(ours: Target, server: Backend): Promise<Row[]> {
  if (!ours.inst) return []
  const {spec} = startupInputs()
  const app = await startBenchApp()
  const rows: Row[] = []
  try {
    const args = ['applink:invoke', 'hello', '--spec', spec, '--url', app.url, '--authorization', BENCH_AUTHORIZATION, '-a', BENCH_APP]
    const none = na('the official plugin has no applink:invoke')
    const ways: [string, string[]][] = [['heroku', argv(ours, args)], ['./bin/run.js', [process.execPath, join(ours.inst.root as string, 'bin', 'run.js'), ...args]]]
    for (const [name, cmd] of ways) {
      log(`timing: ${cmd.join(' ')}`)
      const {problem, values} = await timeInvocations(app, runs, () => run(cmd[0], cmd.slice(1), {cwd: runDir, env: envOf(ours, server), timeoutMs: 60_000}))
      rows.push(limitRow(`applink:invoke through ${name}: start → request at the app`, 's', problem ? na(problem) : measured(values), none, GOAL.invokeSeconds))
    }

    const floor = await measureCommand([{...ours, inst: {...ours.inst, cli: [process.execPath, join(ours.inst.root as string, 'bin', 'run.js')]}}], ['--version'], {})
    rows.push({goal: 'floor', info: true, metric: './bin/run.js --version (the plugin as its own CLI)', official: none, ours: floor.ours.time, unit: 's'})
  } finally {
    await app.close()
  }

  return rows
}

async function main(): Promise<void> {
  const started = Date.now()
  loadAtStart = loadavg()
  if (loadAtStart[0] > 1) log(`warning: the load average is ${loadAtStart[0].toFixed(1)} on ${cpus().length} cores: other work will slow the figures down`)
  const {bare, targets} = await setup()
  // the emulator of the installed package: what users get, and safe from a rebuild of dist/ meanwhile
  const emulatorFile = emulatorModulePath(targets[0].inst?.root as string)
  if (!emulatorFile) throw new Error('the installed plugin has no dist/emulator/server.js: the bench needs its emulator')
  const server = await emulatorBackend(emulatorFile)
  log(`local server: ${server.name} on ${server.env.HEROKU_HOST}`)
  const rows: Row[] = []

  try {
    // --- the CLI alone: the floor under every figure
    if (only.has('version')) {
      const m = await measureCommand([{inst: bare, key: 'ours'}], ['--version'], {stdout: /heroku\/\d/})
      const alone = na('the same CLI, without any plugin')
      rows.push({goal: 'floor', info: true, metric: 'heroku --version, no plugin', official: alone, ours: m.ours.time, unit: 's'},
        {goal: 'floor', info: true, metric: 'heroku --version, no plugin', official: alone, ours: m.ours.rss, unit: 'MiB'})
    }

    // --- plugin load: --help of a light and of a heavy command
    if (only.has('help')) {
      for (const cmd of ['applink:connections', 'salesforce:publish']) {
        rows.push(...comparedRows(`${cmd} --help`, await measureCommand(targets, [cmd, '--help'], {stdout: /USAGE/})))
      }
    }

    // --- start-up of every command both plugins have: to the first Platform API answer (a 404)
    if (only.has('startup')) {
      const {key, spec} = startupInputs()
      const jwt = ['--client-id', 'bench-client-id', '--jwt-key-file', key, '--username', 'admin@bench.example.com']
      const a = ['-a', MISSING_APP]
      const cases: [string, string[]][] = [
        ['applink:authorizations', a],
        ['applink:authorizations:info', [BENCH_AUTHORIZATION, ...a]],
        ['applink:connections', a],
        ['applink:connections:info', [BENCH_CONNECTION, ...a]],
        ['datacloud:authorizations:add', ['bench_auth_new', ...a]],
        ['datacloud:authorizations:jwt:add', ['bench_auth_new', ...jwt, ...a]],
        ['datacloud:authorizations:remove', [BENCH_AUTHORIZATION, '--confirm', BENCH_AUTHORIZATION, ...a]],
        ['datacloud:connect', ['bench_dc_new', ...a]],
        ['datacloud:data-action-target:create', ['BenchTarget', '-o', BENCH_DATACLOUD, '-p', '/events', ...a]],
        ['datacloud:disconnect', [BENCH_DATACLOUD, '--confirm', BENCH_DATACLOUD, ...a]],
        ['salesforce:authorizations:add', ['bench_auth_new', ...a]],
        ['salesforce:authorizations:jwt:add', ['bench_auth_new', ...jwt, ...a]],
        ['salesforce:authorizations:remove', [BENCH_AUTHORIZATION, '--confirm', BENCH_AUTHORIZATION, ...a]],
        ['salesforce:connect', ['bench_org_new', ...a]],
        ['salesforce:connect:jwt', ['bench_org_new', ...jwt, ...a]],
        ['salesforce:disconnect', [BENCH_CONNECTION, '--confirm', BENCH_CONNECTION, ...a]],
        ['salesforce:publications', a],
        ['salesforce:publish', [spec, '-c', 'bench_client', '--connection-name', BENCH_CONNECTION, ...a]],
      ]
      const reachedServer = (srv: Backend) => srv.requests.some(r => r.path.includes(`/apps/${MISSING_APP}`)) ? undefined : 'no Platform API request for the app reached the server'
      for (const [cmd, args] of cases) {
        const m = await measureCommand(targets, [cmd, ...args], {code: 'nonzero', requests: reachedServer}, server)
        rows.push(...comparedRows(`start-up: ${cmd} (to the app's 404)`, m))
      }
    }

    // --- read commands against the local server
    if (only.has('read')) {
      const cases: [string, string[], Expect][] = [
        ['applink:connections', ['applink:connections', '-a', BENCH_APP], {stdout: new RegExp(BENCH_CONNECTION)}],
        ['applink:connections:info', ['applink:connections:info', BENCH_CONNECTION, '-a', BENCH_APP], {stdout: new RegExp(BENCH_CONNECTION)}],
        ['applink:authorizations', ['applink:authorizations', '-a', BENCH_APP], {stdout: new RegExp(BENCH_AUTHORIZATION)}],
        ['applink:authorizations:info', ['applink:authorizations:info', BENCH_AUTHORIZATION, '-a', BENCH_APP], {stdout: new RegExp(BENCH_AUTHORIZATION)}],
        ['salesforce:publications', ['salesforce:publications', '-a', BENCH_APP], {requests: srv => srv.requests.some(r => /\/connections\/salesforce\/[^/]+\/apps\//.test(r.path)) ? undefined : 'no publications request reached the server'}],
      ]
      for (const [name, args, expect] of cases) rows.push(...comparedRows(`${name} -a APP`, await measureCommand(targets, args, expect, server)))
    }

    // --- are independent Platform API calls concurrent? Each Platform answer is delayed 200 ms.
    if (only.has('platform')) {
      const delay = 200
      server.delayPlatform(delay)
      const figures: Partial<Record<Target['key'], Figure>> = {}
      for (const t of targets) {
        const counts: number[] = []
        let problem: string | undefined = t.inst ? undefined : t.missing
        for (let i = 0; i < Math.min(runs, 3) && !problem; i++) {
          problem = await probe(t, ['applink:connections', '-a', BENCH_APP], {stdout: new RegExp(BENCH_CONNECTION)}, server)
          counts.push(platformRounds(server.requests))
        }

        figures[t.key] = problem ? na(problem) : measured(counts)
      }

      server.delayPlatform(0)
      rows.push(limitRow(`Platform API rounds before the first AppLink call (${delay} ms each)`, 'rounds', figures.ours as Figure, figures.official as Figure, 2, '≤ 2 (add-ons ∥ attachments ∥ config vars, then SSO)'))
    }

    // --- OAuth flows: approval (on the server's timer, 1 s after creation) to exit, and end to end
    if (only.has('oauth')) rows.push(...await oauthRows(targets, server))

    // --- publishing the largest specs the service takes, and refusing one over the limit
    const specs = only.has('publish') || only.has('validate') ? benchSpecs(join(work, 'specs'), log) : []
    if (only.has('publish')) rows.push(...await publishRows(targets, server, specs))

    // --- applink:invoke: start to the request reaching the app (ours only: the official plugin has none)
    if (only.has('invoke')) rows.push(...await invokeRows(targets[0], server))

    // --- checking the largest YAML spec locally (the official plugin has no such command)
    if (only.has('validate')) {
      const yaml = specs.find(x => x.format === 'yaml' && !x.overLimit) as BenchSpec
      const m = await measureCommand(targets.filter(t => t.key === 'ours'), ['applink:spec:validate', yaml.file], {})
      const none = na('the official plugin has no applink:spec:validate')
      const label = `applink:spec:validate ${mb(yaml.bytes)} YAML`
      rows.push(limitRow(label, 's', m.ours.time, none, GOAL.validateSeconds, `< ${GOAL.validateSeconds} s`), {goal: '—', info: true, metric: label, official: none, ours: m.ours.rss, unit: 'MiB'})
    }
  } finally {
    await server.close()
  }

  report(rows, targets, started, server.name)
  const failed = rows.filter(r => r.pass === false)
  if (failed.length > 0) process.exitCode = 1
}

function report(rows: Row[], targets: Target[], started: number, serverName: string): void {
  const [ours, official] = targets
  const heroku = JSON.parse(readFileSync(join(repo, 'node_modules', 'heroku', 'package.json'), 'utf8')).version
  const load = (l: number[]) => l.map(x => x.toFixed(1)).join(' / ')
  const header: string[] = [
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()} · load average (1 / 5 / 15 min) ${load(loadAtStart)} at the start, ${load(loadavg())} at the end`,
    `heroku ${heroku}, node ${process.version} · ${runs} runs per command after ${warmup} warm-up (OAuth flows: ${flowRuns}), the plugins alternating · local server: ${serverName}`,
    `ours: ${ours.inst?.plugin ?? 'n/a'} · official: ${official.inst?.plugin ?? `n/a (${official.missing})`}`,
  ]
  const checked = rows.filter(r => r.pass !== undefined)
  header.push(`goals: ${checked.filter(r => r.pass).length} of ${checked.length} checked figures pass${checked.some(r => !r.pass) ? ` (failing: ${[...new Set(checked.filter(r => !r.pass).map(r => `${r.metric} [${r.unit}]`))].join('; ')})` : ''}`)
  const footnotes = notes(rows, [official.missing ?? '', ours.missing ?? ''].filter(Boolean))
  const text = [...header, '', textTable(rows), '', ...footnotes.map(n => `* ${n}`)].join('\n')
  process.stdout.write(`${text}\n\n[bench] done in ${Math.round((Date.now() - started) / 1000)} s\n`)

  const md = [...header.map(h => `${h}  `), '', markdownTable(rows), '', ...footnotes.map(n => `- ${n}`), ''].join('\n')
  writeFileSync(join(work, 'last-run.md'), md)
  writeFileSync(join(work, 'results.json'), JSON.stringify({header, rows}, null, 2))
  log(`wrote ${join(work, 'last-run.md')} and results.json`)
  if (opts['write-docs']) {
    const doc = join(repo, 'docs', 'performance.md')
    const start = '<!-- bench:table:start -->'
    const end = '<!-- bench:table:end -->'
    const current = existsSync(doc) ? readFileSync(doc, 'utf8') : ''
    const i = current.indexOf(start)
    const j = current.indexOf(end)
    if (i === -1 || j === -1) throw new Error(`${doc} has no ${start} … ${end} markers`)
    writeFileSync(doc, `${current.slice(0, i + start.length)}\n${md}${current.slice(j)}`)
    log(`updated ${doc}`)
  }
}

main().catch(error => {
  process.stderr.write(`[bench] failed: ${(error as Error).message}\n`)
  process.exitCode = 2
}).finally(() => {
  rmSync(runDir, {force: true, recursive: true})
  if (process.env.BENCH_KEEP !== '1') rmSync(join(work, 'home-bare'), {force: true, recursive: true})
})
