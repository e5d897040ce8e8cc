/** The `oauth` group: the OAuth flows of both plugins, as plain child processes. */
import {existsSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'

import {type Env, run} from '../measure.js'
import type {Row} from '../report.js'
import {type Backend, BENCH_APP, BENCH_DATACLOUD, type FlowKind} from '../backend.js'
import {approvingBrowserEnv, noBrowserEnv} from '../stage.js'
import {flowRuns, GOAL, log, runDir, work} from '../options.js'
import {argv, envOf, firstLine, limitRow, measured, na, ratioRow, type Target} from '../targets.js'

interface Flow {
  args: (i: number) => string[]
  /** false for a data action target: no login, the service creates it (the emulator: after 1 s) */
  login: boolean
  kind: FlowKind
  name: string
  resource: (i: number) => string
}

const FLOWS: Flow[] = [
  {args: i => ['salesforce:connect', `bench_conn_${i}`, '-a', BENCH_APP], kind: 'connection', login: true, name: 'salesforce:connect', resource: i => `bench_conn_${i}`},
  {args: i => ['salesforce:authorizations:add', `bench_auth_x${i}`, '-a', BENCH_APP], kind: 'authorization', login: true, name: 'salesforce:authorizations:add', resource: i => `bench_auth_x${i}`},
  {args: i => ['datacloud:data-action-target:create', `Bench Target ${i}`, '-o', BENCH_DATACLOUD, '-p', '/events', '-a', BENCH_APP], kind: 'data_action_target', login: false, name: 'datacloud:data-action-target:create', resource: i => `Bench_Target_${i}`},
]

type PerTarget = Record<Target['key'], number[]>
interface Timings {
  create: PerTarget
  e2e: PerTarget
  exit: PerTarget
  problem: Partial<Record<Target['key'], string>>
}

/** How the login gets approved: by the browser as it opens (its log says so), or by the server 1 s after creation. */
interface Approval {
  /** what each plugin is told on its command line (ours opens a browser without a terminal only with --browser) */
  args: (key: Target['key']) => string[]
  env: Env
  /** why the run's approval did not come from where it should, if it did not */
  check: () => string | undefined
  reset: () => void
}

let seq = Date.now() % 100_000

/** Runs one flow `flowRuns` times per plugin, alternating, and collects its three times. */
async function timeFlow(flow: Flow, targets: Target[], server: Backend, approval: Approval): Promise<Timings> {
  const t: Timings = {create: {official: [], ours: []}, e2e: {official: [], ours: []}, exit: {official: [], ours: []}, problem: {}}
  for (const target of targets) if (!target.inst) t.problem[target.key] = target.missing ?? 'not installed'
  for (let i = 0; i < flowRuns; i++) {
    for (const target of i % 2 === 0 ? targets : [...targets].reverse()) {
      if (t.problem[target.key]) continue
      server.clearLog()
      approval.reset()
      const n = seq++
      const args = argv(target, [...flow.args(n), ...approval.args(target.key)])
      const r = await run(args[0], args.slice(1), {cwd: runDir, env: envOf(target, server, approval.env), input: '\n', timeoutMs: 60_000})
      const approvedAt = r.code === 0 ? await server.approvalAt(flow.kind, flow.resource(n)) : undefined
      const createdAt = server.requests.find(q => q.method === 'POST' && q.at !== undefined)?.at
      const wrong = r.code === 0 ? approval.check() : undefined
      if (r.code !== 0) t.problem[target.key] = `exit ${r.code}: ${firstLine(r)}`
      else if (approvedAt === undefined) t.problem[target.key] = `the ${server.name} approved nothing`
      else if (wrong) t.problem[target.key] = wrong
      else {
        t.e2e[target.key].push(r.elapsedMs / 1000)
        t.exit[target.key].push((r.exitAt - approvedAt) / 1000)
        if (createdAt !== undefined) t.create[target.key].push((createdAt - r.startAt) / 1000)
      }
    }
  }

  return t
}

/** The browser that approves at once; a run counts only when it did (the server's 1 s timer would also approve). */
function browserApproval(): Approval {
  const answers = join(work, 'browser-approve', 'answers.log')
  const env = approvingBrowserEnv(join(work, 'browser-approve'), answers)
  return {
    // the official plugin opens $BROWSER after the Enter on its stdin
    args: key => key === 'ours' ? ['--browser', env.BROWSER as string] : [],
    check() {
      const lines = existsSync(answers) ? readFileSync(answers, 'utf8').trim().split('\n') : []
      return lines.length === 1 && lines[0].startsWith('200 ') ? undefined : `the browser stub did not approve the login (${lines.join('; ') || 'it was not opened'})`
    },
    env,
    reset: () => rmSync(answers, {force: true}),
  }
}

/**
 * The flows that wait for something, run as plain child processes (the plugins alternating). The
 * two logins run twice: with a browser that approves as it opens (a session already logged in, the
 * app approved before: end to end is the CLI's own time, no person in it), then with a browser that
 * opens nothing while the server approves 1 s after creation (approval → exit). A data action
 * target has no login: the server creates it 1 s after the request. Both plugins get a newline on
 * stdin (the official plugin waits for Enter without a terminal).
 */
export async function oauthRows(targets: Target[], server: Backend): Promise<Row[]> {
  const timer: Approval = {args: () => [], check: () => undefined, env: noBrowserEnv(join(work, 'browser')), reset() {}}
  const rows: Row[] = []
  for (const flow of FLOWS) {
    const who = targets.filter(t => t.inst).map(t => t.key).join(', ')
    log(`timing: heroku ${flow.args(0).join(' ')} (${who}, alternating${flow.login ? '; approved by the browser, then by the server after 1 s' : ''})`)
    const now = flow.login ? await timeFlow(flow, targets, server, browserApproval()) : undefined
    const later = await timeFlow(flow, targets, server, timer)
    const fig = (key: Target['key'], t: Timings, values: PerTarget) => t.problem[key] ? na(t.problem[key] as string) : values[key].length > 0 ? measured(values[key]) : na(`the ${server.name} does not log arrival times`)
    const info = (metric: string, t: Timings, values: PerTarget): Row => ({goal: '—', info: true, metric, official: fig('official', t, values), ours: fig('ours', t, values), unit: 's'})
    if (now) rows.push(ratioRow(`${flow.name}: end to end (approved as the browser opens)`, fig('ours', now, now.e2e), fig('official', now, now.e2e), GOAL.oauthRatio))
    rows.push(limitRow(`${flow.name}: ${flow.login ? 'approval' : 'created'} → exit`, 's', fig('ours', later, later.exit), fig('official', later, later.exit), GOAL.oauthExitSeconds),
      info(`${flow.name}: end to end (${flow.login ? 'approval' : 'created'} after 1 s)`, later, later.e2e),
      info(`${flow.name}: start → create request`, later, later.create))
  }

  return rows
}
