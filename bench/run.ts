/**
 * `npm run bench`: measures this plugin beside the official AppLink plugin, both installed in the
 * real `heroku` CLI from their packed files, against a local server, and prints one table:
 * median (min–max) of each, the ratio, the goal of issue 6, and pass/fail.
 *
 *   npm run bench                       # build, pack, install, measure (5 runs each)
 *   npm run bench -- --runs 10          # more runs
 *   npm run bench -- --no-build         # reuse dist/ from an earlier `npm run build`
 *   npm run bench -- --official ./heroku-cli-plugin-applink-1.2.3.tgz   # the official plugin from a file
 *   npm run bench -- --official none    # ours only (official figures fall back to issue 6's)
 *   npm run bench -- --only help,list   # some groups: version,help,list,platform,oauth,publish
 *   npm run bench -- --write-docs       # also write the table into docs/performance.md
 *
 * Needs: `hyperfine` and GNU `time` (Debian: apt-get install -y hyperfine time), the npm registry
 * (to install the plugins' production dependencies). Work files go to .bench/ (git-ignored).
 */
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {cpus, loadavg, tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {type BenchSpec, benchSpecs} from './lib/specs.js'
import {type Env, hyperfine, type TimedCommand, peakRss, run, type RunResult, stats, type Stats} from './lib/measure.js'
import {type Figure, figureValue, markdownTable, notes, type Row, textTable, type Unit} from './lib/report.js'
import {type Backend, benchBackend, type FlowKind, emulatorBackend, emulatorModulePath} from './lib/backend.js'
import {BENCH_APP, BENCH_AUTHORIZATION, BENCH_CONNECTION, BENCH_DATACLOUD, BenchServer, platformRounds} from './lib/server.js'
import {bareCli, installPlugin, type Installed, localTarball, npmPack, packOurs} from './lib/stage.js'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const work = join(repo, '.bench')
/** where every measured command runs: outside any git checkout, so no git remote is picked up */
const runDir = mkdtempSync(join(tmpdir(), 'applink-bench-cwd-'))

/** Figures of issue 6, measured on this machine with the official plugin (heroku v11.10.0). */
const ISSUE6 = {connectSeconds: 11, helpMiB: 140, helpSeconds: 1.22, listSeconds: 1.3, versionMiB: 118, versionSeconds: 0.74}
const GROUPS = ['version', 'help', 'list', 'platform', 'oauth', 'publish'] as const
type Group = typeof GROUPS[number]

const {values: opts} = parseArgs({
  options: {
    heroku: {type: 'string'},
    'no-build': {type: 'boolean'},
    official: {type: 'string'},
    only: {type: 'string'},
    runs: {default: '5', type: 'string'},
    server: {default: 'auto', type: 'string'},
    warmup: {default: '1', type: 'string'},
    'write-docs': {type: 'boolean'},
  },
})

const runs = Math.max(1, Number(opts.runs))
const warmup = Math.max(0, Number(opts.warmup))
const only = new Set<Group>(opts.only ? opts.only.split(',').map(s => s.trim() as Group) : GROUPS)
if (!['auto', 'bench', 'emulator'].includes(opts.server as string)) throw new Error(`--server: use auto, bench or emulator, not ${opts.server}`)
for (const g of only) if (!GROUPS.includes(g)) throw new Error(`--only: unknown group ${g}; use ${GROUPS.join(',')}`)
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`)
let loadAtStart = 0

interface Target {
  inst?: Installed
  key: 'official' | 'ours'
  /** why this plugin could not be installed */
  missing?: string
}

const ref = (value: number, note: string): Figure => ({kind: 'reference', note, value})
const na = (reason: string): Figure => ({kind: 'na', reason})
const measured = (s: Stats): Figure => ({kind: 'measured', stats: s})
const firstLine = (r: RunResult) => ((r.stderr.trim() || r.stdout.trim()).split('\n').find(l => l.trim() && !l.includes('Warning:')) ?? `exit ${r.code}`).trim().slice(0, 160)

function argv(t: Target, args: string[]): string[] {
  return [...(t.inst as Installed).cli, ...args]
}

function envOf(t: Target, server?: Backend, extra: Env = {}): Env {
  return {...(t.inst as Installed).env, ...server?.env, ...extra}
}

interface Expect {
  code?: number
  stdout?: RegExp
  /** checked against the server's log after the probe */
  requests?: (server: Backend) => string | undefined
}

/** One run that must behave as expected before a command is timed; returns why not, or undefined. */
async function probe(t: Target, args: string[], expect: Expect, server?: Backend): Promise<string | undefined> {
  if (!t.inst) return t.missing ?? 'not installed'
  server?.clearLog()
  const r = await run(argv(t, args)[0], argv(t, args).slice(1), {cwd: runDir, env: envOf(t, server), timeoutMs: 60_000})
  const code = expect.code ?? 0
  if (r.code !== code) return `exit ${r.code} (expected ${code}): ${firstLine(r)}`
  if (expect.stdout && !expect.stdout.test(r.stdout)) return `unexpected output: ${firstLine(r)}`
  if (expect.requests && server) return expect.requests(server)
  return undefined
}

interface Measured {
  rss: Figure
  time: Figure
}

/**
 * Wall time (hyperfine) and peak RSS (GNU time) of `heroku ARGS` for both plugins. With `baseline`
 * (the bare CLI), its `heroku --version` runs interleaved with them, and `baseline` in the result
 * is its median: the scale for issue 6's reference figures at the very moments this row was timed.
 */
async function measureCommand(targets: Target[], args: string[] | ((t: Target) => string[]), expect: Expect, server?: Backend, baseline?: Installed): Promise<Record<Target['key'], Measured> & {baseline?: number}> {
  const argsOf = (t: Target) => typeof args === 'function' ? args(t) : args
  const out = {} as Record<Target['key'], Measured> & {baseline?: number}
  const ok: Target[] = []
  for (const t of targets) {
    const problem = await probe(t, argsOf(t), expect, server)
    if (problem) {
      log(`${t.key}: heroku ${argsOf(t).join(' ')}: n/a: ${problem}`)
      out[t.key] = {rss: na(problem), time: na(problem)}
    } else {
      ok.push(t)
    }
  }

  if (ok.length === 0) return out
  log(`timing: heroku ${argsOf(ok[0]).join(' ')} (${ok.map(t => t.key).join(', ')})`)
  const commands: TimedCommand[] = ok.map(t => ({argv: argv(t, argsOf(t)), env: envOf(t, server), name: t.key}))
  if (baseline) commands.push({argv: [...baseline.cli, '--version'], env: baseline.env, name: 'baseline'})
  const timings = await hyperfine(commands, {cwd: runDir, runs, warmup})
  if (baseline) out.baseline = (timings.at(-1) as {seconds: Stats}).seconds.median
  for (const [i, t] of ok.entries()) {
    const bad = timings[i].exitCodes.filter(c => c !== (expect.code ?? 0))
    const rss = await peakRss(argv(t, argsOf(t)), {cwd: runDir, env: envOf(t, server), runs})
    out[t.key] = bad.length > 0
      ? {rss: na(`exit codes ${bad.join(',')} while timing`), time: na(`exit codes ${bad.join(',')} while timing`)}
      : {rss: measured(rss.mib), time: {cpu: timings[i].cpu, kind: 'measured', stats: timings[i].seconds}}
  }

  return out
}

function ratioRow(metric: string, unit: Unit, ours: Figure, official: Figure, maxRatio: number): Row {
  const o = figureValue(ours)
  const f = figureValue(official)
  const ratio = o !== undefined && f !== undefined ? o / f : undefined
  return {goal: `≤ ${maxRatio}× official`, metric, official, ours, pass: ratio === undefined ? undefined : ratio <= maxRatio, ratio, unit}
}

function memRow(metric: string, ours: Figure, official: Figure, maxExtra: number): Row {
  const o = figureValue(ours)
  const f = figureValue(official)
  return {goal: `≤ official + ${maxExtra} MiB`, metric, official, ours, pass: o === undefined || f === undefined ? undefined : o <= f + maxExtra, unit: 'MiB'}
}

function limitRow(metric: string, unit: Unit, ours: Figure, official: Figure, max: number, goal?: string): Row {
  const o = figureValue(ours)
  const f = figureValue(official)
  return {goal: goal ?? `≤ ${max} ${unit}`, metric, official, ours, pass: o === undefined ? undefined : o <= max, ratio: o !== undefined && f !== undefined && official.kind === 'measured' ? o / f : undefined, unit}
}

/** The official figure when measured, else a reference figure (issue 6's, scaled to this run). */
function orReference(f: Figure, value: number | undefined, note: string): Figure {
  if (f.kind === 'measured' || value === undefined) return f
  return ref(value, note)
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

  const build = !opts['no-build']
  const ours: Target = {key: 'ours'}
  const tgz = await packOurs(repo, join(work, 'packages'), {build, log})
  ours.inst = await installPlugin(cli, tgz, join(work, 'home-ours'), 'ours', log)
  log(`ours: ${ours.inst.plugin}`)

  const official: Target = {key: 'official'}
  const spec = opts.official ?? process.env.BENCH_OFFICIAL_PLUGIN ?? '@heroku-cli/plugin-applink'
  if (spec === 'none') {
    official.missing = 'skipped (--official none)'
  } else {
    try {
      const file = localTarball(spec) ?? await npmPack(spec, join(work, 'packages'), work, log)
      official.inst = await installPlugin(cli, file, join(work, 'home-official'), 'official', log)
      log(`official: ${official.inst.plugin}`)
    } catch (error) {
      official.missing = (error as Error).message.split('\n')[0]
      log(`official plugin unavailable: ${official.missing}`)
    }
  }

  return {bare: bareCli(cli, join(work, 'home-bare')), targets: [ours, official]}
}

async function main(): Promise<void> {
  const started = Date.now()
  loadAtStart = loadavg()[0]
  if (loadAtStart > 1) log(`warning: the load average is ${loadAtStart.toFixed(1)} on ${cpus().length} cores: other work will slow the figures down`)
  const {bare, targets} = await setup()
  const [, official] = targets
  const benchServer = await BenchServer.start()
  // the emulator of the installed package: what users get, and safe from a rebuild of dist/ meanwhile
  const emulatorFile = emulatorModulePath(targets[0].inst?.root as string)
  if (opts.server === 'emulator' && !emulatorFile) throw new Error('--server emulator: the installed plugin has no dist/emulator/server.js')
  const server = opts.server !== 'bench' && emulatorFile ? await emulatorBackend(emulatorFile) : benchBackend(benchServer)
  log(`local server: ${server.name} on ${server.env.HEROKU_HOST} (Platform API rounds: bench server on ${benchServer.url})`)
  const rows: Row[] = []
  let versionMiB: number | undefined

  try {
    // --- the CLI alone: the baseline, and the base of issue 6's memory references
    if (only.has('version') || only.has('help') || only.has('list') || only.has('oauth')) {
      const bareTarget: Target = {inst: bare, key: 'ours'}
      const m = (await measureCommand([bareTarget], ['--version'], {stdout: /heroku\/\d/}, undefined)).ours
      versionMiB = figureValue(m.rss)
      const note = 'issue 6, measured on this machine'
      rows.push({goal: 'baseline', info: true, metric: 'heroku --version, no plugin', official: ref(ISSUE6.versionSeconds, note), ours: m.time, unit: 's'},
        {goal: 'baseline', info: true, metric: 'heroku --version, no plugin', official: ref(ISSUE6.versionMiB, note), ours: m.rss, unit: 'MiB'})
    }

    const scaledNote = (s: number) => `issue 6's ${s} s × (heroku --version, timed interleaved with this row, ÷ ${ISSUE6.versionSeconds} s)`
    // the bare CLI runs beside each timed command only when the official plugin is missing
    const refBaseline = official.inst ? undefined : bare
    const scaled = (seconds: number, baseline: number | undefined) => baseline === undefined ? undefined : seconds * baseline / ISSUE6.versionSeconds
    const memNote = `this run's heroku --version + ${ISSUE6.helpMiB - ISSUE6.versionMiB} MiB (issue 6: ${ISSUE6.helpMiB} vs ${ISSUE6.versionMiB} MiB)`

    // --- plugin load: --help of a light and of a heavy command
    if (only.has('help')) {
      for (const cmd of ['applink:connections', 'salesforce:publish']) {
        const m = await measureCommand(targets, [cmd, '--help'], {stdout: /USAGE/}, undefined, refBaseline)
        const officialTime = orReference(m.official.time, scaled(ISSUE6.helpSeconds, m.baseline), scaledNote(ISSUE6.helpSeconds))
        const officialRss = orReference(m.official.rss, versionMiB && versionMiB + ISSUE6.helpMiB - ISSUE6.versionMiB, memNote)
        rows.push(ratioRow(`${cmd} --help`, 's', m.ours.time, officialTime, 1.05), memRow(`${cmd} --help`, m.ours.rss, officialRss, 10))
      }
    }

    // --- list and info against the local server
    if (only.has('list')) {
      const cases: [string, string[], RegExp][] = [
        ['applink:connections', ['applink:connections', '-a', BENCH_APP], new RegExp(BENCH_CONNECTION)],
        ['applink:connections:info', ['applink:connections:info', BENCH_CONNECTION, '-a', BENCH_APP], new RegExp(BENCH_CONNECTION)],
        ['applink:authorizations', ['applink:authorizations', '-a', BENCH_APP], new RegExp(BENCH_AUTHORIZATION)],
      ]
      for (const [name, args, expected] of cases) {
        const m = await measureCommand(targets, args, {stdout: expected}, server, refBaseline)
        const officialTime = orReference(m.official.time, scaled(ISSUE6.listSeconds, m.baseline), scaledNote(ISSUE6.listSeconds))
        // issue 6 gives no memory figure for list commands: the official --help figure stands in (its
        // --help already imports every one of its command modules, so its list needs at least that)
        const officialRss = orReference(m.official.rss, versionMiB && versionMiB + ISSUE6.helpMiB - ISSUE6.versionMiB, `${memNote}; issue 6 has no memory figure for list commands, so the official --help figure stands in (a lower bound: its --help imports all its command modules)`)
        rows.push(ratioRow(`${name} -a APP`, 's', m.ours.time, officialTime, 1.05), memRow(`${name} -a APP`, m.ours.rss, officialRss, 10))
      }
    }

    // --- are independent Platform API calls concurrent? Each Platform answer is delayed 200 ms.
    if (only.has('platform')) {
      const delay = 200
      benchServer.options.platformDelayMs = delay
      const figures: Partial<Record<Target['key'], Figure>> = {}
      for (const t of targets) {
        const counts: number[] = []
        let problem: string | undefined = t.inst ? undefined : t.missing
        for (let i = 0; i < Math.min(runs, 3) && !problem; i++) {
          problem = await probe(t, ['applink:connections', '-a', BENCH_APP], {stdout: new RegExp(BENCH_CONNECTION)}, benchBackend(benchServer))
          counts.push(platformRounds(benchServer.requests))
        }

        figures[t.key] = problem ? na(problem) : measured(stats(counts))
      }

      benchServer.options.platformDelayMs = 0
      rows.push(limitRow(`Platform API rounds before the first AppLink call (${delay} ms each)`, 'rounds', figures.ours as Figure, figures.official as Figure, 2, '≤ 2 (add-ons ∥ attachments ∥ config vars, then SSO)'))
    }

    // --- OAuth flows: approval (on the server's timer, 1 s after creation) to exit, and end to end
    if (only.has('oauth')) {
      const flows: {args: (i: number) => string[]; kind: FlowKind; name: string; resource: (i: number) => string}[] = [
        {args: i => ['salesforce:connect', `bench_conn_${i}`, '-a', BENCH_APP], kind: 'connection', name: 'salesforce:connect', resource: i => `bench_conn_${i}`},
        {args: i => ['salesforce:authorizations:add', `bench_auth_x${i}`, '-a', BENCH_APP], kind: 'authorization', name: 'salesforce:authorizations:add', resource: i => `bench_auth_x${i}`},
        {args: i => ['datacloud:data-action-target:create', `Bench Target ${i}`, '-o', BENCH_DATACLOUD, '-p', '/events', '-a', BENCH_APP], kind: 'data_action_target', name: 'datacloud:data-action-target:create', resource: i => `Bench_Target_${i}`},
      ]
      let seq = Date.now() % 100_000
      for (const flow of flows) {
        const fig: Partial<Record<Target['key'], {e2e: Figure; exit: Figure}>> = {}
        for (const t of targets) {
          if (!t.inst) {
            fig[t.key] = {e2e: na(t.missing ?? 'not installed'), exit: na(t.missing ?? 'not installed')}
            continue
          }

          log(`timing: heroku ${flow.args(0).join(' ')} (${t.key})`)
          const e2e: number[] = []
          const exit: number[] = []
          let problem: string | undefined
          for (let i = 0; i < runs && !problem; i++) {
            server.clearLog()
            const n = seq++
            const args = flow.args(n)
            const r = await run(argv(t, args)[0], argv(t, args).slice(1), {cwd: runDir, env: envOf(t, server), timeoutMs: 60_000})
            const approvedAt = r.code === 0 ? await server.approvalAt(flow.kind, flow.resource(n)) : undefined
            if (r.code !== 0) problem = `exit ${r.code}: ${firstLine(r)}`
            else if (approvedAt === undefined) problem = `the ${server.name} approved nothing`
            else {
              e2e.push(r.elapsedMs / 1000)
              exit.push((r.exitAt - approvedAt) / 1000)
            }
          }

          fig[t.key] = problem ? {e2e: na(problem), exit: na(problem)} : {e2e: measured(stats(e2e)), exit: measured(stats(exit))}
        }

        const ours = fig.ours as {e2e: Figure; exit: Figure}
        const off = fig.official as {e2e: Figure; exit: Figure}
        rows.push(limitRow(`${flow.name}: approval → exit`, 's', ours.exit, off.exit, 1.5))
        const offE2e = orReference(off.e2e, ISSUE6.connectSeconds, `issue 6: the official salesforce:connect took ${ISSUE6.connectSeconds} s with an immediate approval (it sleeps 5 s between polls in every flow)`)
        const row = ratioRow(`${flow.name}: end to end (approval after 1 s)`, 's', ours.e2e, offE2e, 0.3)
        rows.push(row)
      }
    }

    // --- publishing the largest specs the service takes, and refusing one over the limit
    if (only.has('publish')) {
      const specs = benchSpecs(join(work, 'specs'), log)
      const publish = (file: string) => ['salesforce:publish', file, '--client-name', 'bench_client', '--connection-name', BENCH_CONNECTION, '-a', BENCH_APP]
      const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB (${bytes.toLocaleString('en-US')} bytes)`
      for (const s of specs.filter(x => !x.overLimit)) {
        const size = mb(s.bytes)
        const sentUpload = (srv: Backend) => srv.requests.some(r => r.method === 'POST' && r.path.endsWith('/apps') && r.status >= 200 && r.status < 300) ? undefined : 'no upload reached the server'
        const m = await measureCommand(targets, publish(s.file), {requests: sentUpload}, server)
        const label = `salesforce:publish ${size} ${s.format.toUpperCase()}, ${s.operations.toLocaleString('en-US')} operations`
        rows.push(limitRow(label, 's', m.ours.time, m.official.time, 3), limitRow(label, 'MiB', m.ours.rss, m.official.rss, 300))
      }

      const over = specs.find(x => x.overLimit) as BenchSpec
      const nothingSent = (srv: Backend) => srv.requests.length === 0 ? undefined : `it sent ${srv.requests.length} request(s)`
      const m = await measureCommand(targets, publish(over.file), {code: 2, requests: nothingSent}, server)
      rows.push(limitRow(`salesforce:publish ${mb(over.bytes)} YAML (over the limit): refused`, 's', m.ours.time, m.official.time, 1, '< 1 s, exit 2, nothing sent'))
    }
  } finally {
    await server.close()
    if (server.name !== 'bench server') await benchServer.close()
  }

  report(rows, targets, started, server.name)
  const failed = rows.filter(r => r.pass === false)
  if (failed.length > 0) process.exitCode = 1
}

function report(rows: Row[], targets: Target[], started: number, serverName: string): void {
  const [ours, official] = targets
  const heroku = JSON.parse(readFileSync(join(repo, 'node_modules', 'heroku', 'package.json'), 'utf8')).version
  const header: string[] = [
    `heroku ${heroku}, node ${process.version}, ${cpus().length} cores, load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end, ${runs} runs (warmup ${warmup}), local server: ${serverName}, ${new Date().toISOString().slice(0, 10)}`,
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
