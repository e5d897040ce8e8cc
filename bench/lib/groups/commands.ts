/**
 * The groups of single commands: the CLI alone (`version`), plugin load (`help`), the start-up of
 * every command both plugins have (`startup`), the read commands (`read`), and the Platform API
 * rounds before the first AppLink call (`platform`).
 */
import type {Env} from '../measure.js'
import type {Figure, Row} from '../report.js'
import {type Backend, BENCH_APP, BENCH_AUTHORIZATION, BENCH_CONNECTION, BENCH_DATACLOUD, platformRounds} from '../backend.js'
import type {Installed} from '../stage.js'
import {MISSING_APP, runs} from '../options.js'
import {startupInputs} from '../setup.js'
import {comparedRows, type Expect, limitRow, measureCommand, measured, na, probe, type Target} from '../targets.js'

/** the CLI alone: the floor under every figure */
export async function versionRows(bare: Installed): Promise<Row[]> {
  const m = await measureCommand([{inst: bare, key: 'ours'}], ['--version'], {stdout: /heroku\/\d/})
  const alone = na('the same CLI, without any plugin')
  return [{goal: 'floor', info: true, metric: 'heroku --version, no plugin', official: alone, ours: m.ours.time, unit: 's'},
    {goal: 'floor', info: true, metric: 'heroku --version, no plugin', official: alone, ours: m.ours.rss, unit: 'MiB'}]
}

/** plugin load: --help of a light and of a heavy command */
export async function helpRows(targets: Target[]): Promise<Row[]> {
  const rows: Row[] = []
  for (const cmd of ['applink:connections', 'salesforce:publish']) {
    rows.push(...comparedRows(`${cmd} --help`, await measureCommand(targets, [cmd, '--help'], {stdout: /USAGE/})))
  }

  return rows
}

/** the commands of the start-up group with their arguments, all on an app no server knows */
function startupCases(): [string, string[]][] {
  const {key, spec} = startupInputs()
  const jwt = ['--client-id', 'bench-client-id', '--jwt-key-file', key, '--username', 'admin@bench.example.com']
  const a = ['-a', MISSING_APP]
  return [
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
}

/** start-up of every command both plugins have: to the first Platform API answer (a 404) */
export async function startupRows(targets: Target[], server: Backend): Promise<Row[]> {
  const reachedServer = (srv: Backend) => srv.requests.some(r => r.path.includes(`/apps/${MISSING_APP}`)) ? undefined : 'no Platform API request for the app reached the server'
  const rows: Row[] = []
  for (const [cmd, args] of startupCases()) {
    const m = await measureCommand(targets, [cmd, ...args], {code: 'nonzero', requests: reachedServer}, server)
    rows.push(...comparedRows(`start-up: ${cmd} (to the app's 404)`, m))
  }

  return rows
}

/**
 * read commands against the local server; the last one with HEROKU_DEBUG=1, which this plugin
 * hands to the CLI's own API client (`@heroku-cli/command`, as for a proxy, a 401 or no token at hand)
 */
export async function readRows(targets: Target[], server: Backend): Promise<Row[]> {
  const cases: [string, string[], Expect, Env?][] = [
    ['applink:connections -a APP', ['applink:connections', '-a', BENCH_APP], {stdout: new RegExp(BENCH_CONNECTION)}],
    ['applink:connections:info -a APP', ['applink:connections:info', BENCH_CONNECTION, '-a', BENCH_APP], {stdout: new RegExp(BENCH_CONNECTION)}],
    ['applink:authorizations -a APP', ['applink:authorizations', '-a', BENCH_APP], {stdout: new RegExp(BENCH_AUTHORIZATION)}],
    ['applink:authorizations:info -a APP', ['applink:authorizations:info', BENCH_AUTHORIZATION, '-a', BENCH_APP], {stdout: new RegExp(BENCH_AUTHORIZATION)}],
    ['salesforce:publications -a APP', ['salesforce:publications', '-a', BENCH_APP], {requests: srv => srv.requests.some(r => /\/connections\/salesforce\/[^/]+\/apps\//.test(r.path)) ? undefined : 'no publications request reached the server'}],
    ['applink:connections -a APP, HEROKU_DEBUG=1 (the CLI\'s own API client)', ['applink:connections', '-a', BENCH_APP], {stdout: new RegExp(BENCH_CONNECTION)}, {HEROKU_DEBUG: '1'}],
  ]
  const rows: Row[] = []
  for (const [metric, args, expect, env] of cases) rows.push(...comparedRows(metric, await measureCommand(targets, args, expect, server, env)))
  return rows
}

/** are independent Platform API calls concurrent? Each Platform answer is delayed 200 ms. */
export async function platformRows(targets: Target[], server: Backend): Promise<Row[]> {
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
  return [limitRow(`Platform API rounds before the first AppLink call (${delay} ms each)`, 'rounds', figures.ours as Figure, figures.official as Figure, 2, '≤ 2 (add-ons ∥ attachments ∥ config vars, then SSO)')]
}
