/**
 * `heroku logs` of the real heroku CLI (v11) against the emulator: the log session it opens, the
 * history it prints and exits after, `--tail` printing new lines until it is stopped, the filters
 * (-n, -s, -d), and the lines the emulator writes itself (releases, the AppLink API's request log
 * of the app's add-on) beside the ones posted to its ingestion route (as the local mesh does).
 */
import {expect} from 'chai'

import type {Emulator} from '../../src/emulator/server/server.js'
import {applink, platform, type Provisioned, provision, removeTempDirs, start} from '../emulator/helpers.js'
import {explain, heroku, herokuInBackground} from './helpers/cli.js'

const T1 = '2026-12-07T22:23:22.209776+00:00'
const T2 = '2026-12-07T22:23:23.000001+00:00'

describe('heroku logs against the emulator, through the heroku CLI', function () {
  this.timeout(120_000)
  let emu: Emulator
  let p: Provisioned
  let env: Record<string, string>

  before(async () => {
    emu = await start()
    p = await provision(emu)
    env = {HEROKU_API_KEY: emu.apiKey, HEROKU_HOST: emu.url}
    // as the local mesh posts what the app prints
    const posted = await platform(emu, 'POST', '/__emulator/apps/my-app/log-lines', {lines: [
      {dyno: 'web.1', message: 'Listening on 3000', source: 'app', time: T1},
      {dyno: 'worker.1', message: 'job 7 done', source: 'app', time: T1},
      {dyno: 'router', message: 'at=info method=GET path="/" status=200', source: 'heroku', time: T2},
    ]})
    expect(posted.status, posted.text).to.equal(202)
  })
  after(async () => {
    await emu?.close()
    removeTempDirs()
  })

  const logs = (args: string[]) => heroku(['logs', '-a', 'my-app', ...args], {env, timeoutMs: 60_000})
  /** the printed lines without their time, for the lines the emulator timed itself */
  const untimed = (stdout: string) => stdout.split('\n').filter(Boolean).map(l => l.replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 /, ''))

  it('prints the history (releases, posted lines) and exits 0', async () => {
    const r = await logs([])
    expect(r.code, explain(r)).to.equal(0)
    expect(r.stderr).to.equal('')
    const lines = r.stdout.split('\n').filter(Boolean)
    expect(lines.slice(2)).to.deep.equal([
      `${T1} app[web.1]: Listening on 3000`,
      `${T1} app[worker.1]: job 7 done`,
      `${T2} heroku[router]: at=info method=GET path="/" status=200`,
    ])
    expect(untimed(lines.slice(0, 2).join('\n'))).to.deep.equal([
      'app[api]: Release v1 created by user developer@emulator.local',
      'app[api]: Release v2 created by user developer@emulator.local',
    ])
  })

  it('filters: -s SOURCE, -d DYNO or process type, -n N', async () => {
    const heroku = await logs(['-s', 'heroku'])
    expect(heroku.stdout, explain(heroku)).to.equal(`${T2} heroku[router]: at=info method=GET path="/" status=200\n`)
    const worker = await logs(['-d', 'worker'])
    expect(worker.stdout, explain(worker)).to.equal(`${T1} app[worker.1]: job 7 done\n`)
    const two = await logs(['-n', '2', '-s', 'app'])
    expect(untimed(two.stdout), explain(two)).to.deep.equal(['app[web.1]: Listening on 3000', 'app[worker.1]: job 7 done'])
  })

  it('--tail prints the history, then each new line (posted, AppLink requests of the add-on, releases) until it is stopped', async () => {
    const h = await herokuInBackground(['logs', '-a', 'my-app', '--tail', '-n', '1'], {env})
    try {
      await h.waitFor(/heroku\[router\]: at=info/, {stream: 'stdout', timeoutMs: 60_000})
      const posted = await platform(emu, 'POST', '/__emulator/apps/my-app/log-lines', {lines: [{dyno: 'web.1', message: 'GET /accounts 200', source: 'app'}]})
      expect(posted.status).to.equal(202)
      await h.waitFor(/app\[web\.1\]: GET \/accounts 200\n/, {stream: 'stdout'})
      expect((await applink(emu, p, 'GET', '/connections', undefined, {'x-request-id': 'req-tail'})).status).to.equal(200)
      await h.waitFor(/app\[heroku-applink\]: GET \/addons\/\S+\/connections 200 \d+ms request_id=req-tail\n/, {stream: 'stdout'})
      expect((await platform(emu, 'PATCH', '/apps/my-app/config-vars', {FOO: 'bar'})).status).to.equal(200)
      await h.waitFor(/app\[api\]: Release v3 created by user developer@emulator\.local\n/, {stream: 'stdout'})
    } finally {
      const r = await h.stop()
      expect(untimed(r.stdout).slice(0, 2), explain(r)).to.deep.equal(['heroku[router]: at=info method=GET path="/" status=200', 'app[web.1]: GET /accounts 200'])
    }
  })

  it('an unknown app: the Platform API\'s 404, which the CLI shows as from Heroku (its exit code 2)', async () => {
    const r = await heroku(['logs', '-a', 'no-such-app'], {env, timeoutMs: 60_000})
    expect(r.code, explain(r)).to.equal(2)
    expect(r.stderr).to.match(/Error: Couldn't find that app\.\n.*\n.*Error ID: not_found/)
  })
})
