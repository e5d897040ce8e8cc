/** The `invoke` group: `applink:invoke` from its start to its request reaching a local app. */
import {run} from '../measure.js'
import type {Row} from '../report.js'
import {type Backend, BENCH_APP, BENCH_AUTHORIZATION} from '../backend.js'
import {startBenchApp, timeInvocations} from '../invoke.js'
import {log, runDir, runs, GOAL} from '../options.js'
import {startupInputs} from '../setup.js'
import {argv, envOf, limitRow, measureCommand, measured, na, ownCli, type Target} from '../targets.js'

/**
 * `applink:invoke` of a tiny spec's operation against a local app, from the start of the run to
 * the request's arrival: through the installed plugin's own `bin/run.js` (no heroku CLI around it;
 * the 0.7 s goal), and through `heroku` (shown, not checked: the CLI alone takes longer than
 * 0.7 s), with the floor of each (`--version`) for scale.
 */
export async function invokeRows(ours: Target, server: Backend): Promise<Row[]> {
  if (!ours.inst) return []
  const {spec} = startupInputs()
  const app = await startBenchApp()
  const rows: Row[] = []
  try {
    const args = ['applink:invoke', 'hello', '--spec', spec, '--url', app.url, '--authorization', BENCH_AUTHORIZATION, '-a', BENCH_APP]
    const none = na('the official plugin has no applink:invoke')
    const ways: [string, string[]][] = [['heroku', argv(ours, args)], ['./bin/run.js', argv(ownCli(ours), args)]]
    for (const [name, cmd] of ways) {
      log(`timing: ${cmd.join(' ')}`)
      const {problem, values} = await timeInvocations(app, runs, () => run(cmd[0], cmd.slice(1), {cwd: runDir, env: envOf(ours, server), timeoutMs: 60_000}))
      const metric = `applink:invoke through ${name}: start → request at the app`
      const figure = problem ? na(problem) : measured(values)
      // through heroku the CLI's own start-up (the row below) is over 0.7 s before any plugin code runs
      rows.push(name === 'heroku' ? {goal: '— (heroku --version is the floor)', info: true, metric, official: none, ours: figure, unit: 's'} : limitRow(metric, 's', figure, none, GOAL.invokeSeconds))
    }

    const cliFloor = await measureCommand([ours], ['--version'], {})
    rows.push({goal: 'floor', info: true, metric: 'heroku --version (the CLI alone, before any plugin code)', official: none, ours: cliFloor.ours.time, unit: 's'})
    const floor = await measureCommand([ownCli(ours)], ['--version'], {})
    rows.push({goal: 'floor', info: true, metric: './bin/run.js --version (the plugin as its own CLI)', official: none, ours: floor.ours.time, unit: 's'})
  } finally {
    await app.close()
  }

  return rows
}
