/** The `oauth` group: the OAuth flows of both plugins, as plain child processes. */
import {join} from 'node:path'

import {run} from '../measure.js'
import type {Row} from '../report.js'
import {type Backend, BENCH_APP, BENCH_DATACLOUD, type FlowKind} from '../backend.js'
import {noBrowserEnv} from '../stage.js'
import {flowRuns, GOAL, log, runDir, work} from '../options.js'
import {argv, envOf, firstLine, limitRow, measured, na, ratioRow, type Target} from '../targets.js'

/**
 * OAuth flows, run as plain child processes (the plugins alternating): approval (on the server's
 * timer, 1 s after creation) to exit, end to end, and start to the create request (the CLI, the
 * plugin and the Platform API rounds before the flow begins). Both get a browser that opens
 * nothing and a newline on stdin (the official plugin waits for Enter without a terminal).
 */
export async function oauthRows(targets: Target[], server: Backend): Promise<Row[]> {
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
