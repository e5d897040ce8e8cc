/** The `publish` and `validate` groups: the largest specs the service takes, and one over its limit. */
import type {Env} from '../measure.js'
import type {Row} from '../report.js'
import {type Backend, BENCH_APP, BENCH_CONNECTION} from '../backend.js'
import type {BenchSpec} from '../specs.js'
import {startTlsRelay} from '../tls-relay.js'
import {GOAL, log, work} from '../options.js'
import {type Expect, limitRow, measureCommand, na, ownCli, ratioRow, type Target} from '../targets.js'

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB (${bytes.toLocaleString('en-US')} bytes)`

/**
 * Publishing the largest specs the service takes, and refusing one over the limit. The official
 * plugin reaches the AppLink API only over https on port 443 (see lib/tls-relay.ts): both plugins
 * get the relay's certificate, and the official one is refused by the service (it does not check
 * sizes itself), so its refusal only has to fail.
 */
export async function publishRows(targets: Target[], server: Backend, specs: BenchSpec[]): Promise<Row[]> {
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
    // a refusal is the command's start-up and a stat: it gets the start-up goal (the exit code and
    // the empty request log are checked before timing)
    rows.push({...ratioRow(`salesforce:publish ${mb(over.bytes)} YAML (over the limit): refused`, m.ours.time, m.official.time, GOAL.ratio), goal: `≤ ${GOAL.ratio}× official, exit 2, nothing sent`})
  } finally {
    if (relay && typeof relay !== 'string') await relay.close()
  }

  return rows
}

/**
 * Checking the largest YAML spec locally (the official plugin has no such command): through heroku
 * (the goal), and, for scale, through the plugin's own `bin/run.js` and the CLI's `--version`, which
 * together show how much of the time is the CLI's start-up and how much the check.
 */
export async function validateRows(targets: Target[], specs: BenchSpec[]): Promise<Row[]> {
  const yaml = specs.find(x => x.format === 'yaml' && !x.overLimit) as BenchSpec
  const ours = targets.find(t => t.key === 'ours') as Target
  const m = await measureCommand([ours], ['applink:spec:validate', yaml.file], {})
  const none = na('the official plugin has no applink:spec:validate')
  const label = `applink:spec:validate ${mb(yaml.bytes)} YAML`
  const rows: Row[] = [limitRow(label, 's', m.ours.time, none, GOAL.validateSeconds, `< ${GOAL.validateSeconds} s`), {goal: '—', info: true, metric: label, official: none, ours: m.ours.rss, unit: 'MiB'}]
  if (!ours.inst) return rows
  const own = await measureCommand([ownCli(ours)], ['applink:spec:validate', yaml.file], {})
  const floor = await measureCommand([ours], ['--version'], {})
  rows.push(
    {goal: '—', info: true, metric: `${label} through ./bin/run.js (no heroku CLI around it)`, official: none, ours: own.ours.time, unit: 's'},
    {goal: 'floor', info: true, metric: 'heroku --version (the CLI alone, before any plugin code)', official: none, ours: floor.ours.time, unit: 's'},
  )
  return rows
}
