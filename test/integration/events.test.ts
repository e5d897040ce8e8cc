/**
 * Signed Data Cloud events end to end, through the real `heroku` CLI against the emulator (started
 * with `heroku applink:emulator -v --auto-approve`): a Data Cloud connection and a data action
 * target made with the plugin's commands, then `applink:events:trigger` delivers a signed event to
 * a small app (test/helpers/events-app.ts) whose stand-in for the mesh checks the signature with
 * the emulator's authenticate route. A tampered signature is refused there (401, so 403 from the
 * app); resends carry the same body and signature; the target's key shows up nowhere.
 */
import {expect} from 'chai'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {startEmulator} from '../../scripts/lib/heroku-env.mjs'
import {type EventsApp, startEventsApp} from '../helpers/events-app.js'
import {type CliResult, explain, heroku, sharedStage} from './helpers/cli.js'
import {TELEMETRY_DEFAULT} from './helpers/installed.js'

const APP = 'events-app'

describe('integration: signed data action events (heroku CLI, emulator, a small app)', function () {
  this.timeout(180_000)
  let tmp: string
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  let env: Record<string, string | undefined>
  let app: EventsApp
  let token: string
  const outputs: string[] = []

  const run = async (args: string[], code = 0): Promise<CliResult> => {
    const r = await heroku(args, {env, timeoutMs: 60_000})
    outputs.push(r.stdout, r.stderr)
    expect(r.code, `heroku ${args.join(' ')}\n${explain(r)}`).to.equal(code)
    return r
  }

  before(async function () {
    this.timeout(240_000)
    const stage = await sharedStage()
    tmp = mkdtempSync(join(tmpdir(), 'applink-events-'))
    emulator = await startEmulator(stage, {autoApprove: true, dataDir: join(tmp, 'emulator'), verbose: true})
    env = {...TELEMETRY_DEFAULT, APPLINK_POLL_INTERVAL_MS: '100', HEROKU_API_KEY: emulator.env.HEROKU_API_KEY, HEROKU_HOST: emulator.env.HEROKU_HOST}
    await run(['apps:create', APP, '--no-remote'])
    await run(['addons:create', 'heroku-applink', '-a', APP])
    await run(['datacloud:connect', 'dc_org', '-a', APP])
    await run(['datacloud:data-action-target:create', 'My Target', '-a', APP, '-o', 'dc_org', '-p', '/handleDataCloudDataChangeEvent'])
    const config = JSON.parse((await run(['config', '-a', APP, '--json'])).stdout) as Record<string, string>
    token = config.HEROKU_APPLINK_TOKEN
    app = await startEventsApp({apiUrl: config.HEROKU_APPLINK_API_URL, token})
  })

  after(async () => {
    await app?.close()
    await emulator?.stop()
    if (tmp) rmSync(tmp, {force: true, recursive: true})
  })

  it('delivers a signed event the app accepts (201); the mesh check passes; --json shows the request', async () => {
    const r = await run(['applink:events:trigger', 'My_Target', '-a', APP, '--url', app.url, '--object', 'Account_Home__dlm', '--set', 'Name__c=Acme', '--set', 'Amount__c:=42'])
    const [sent, answered, ...body] = r.stdout.split('\n')
    const uuid = /^--> CDCEvent My_Target \[([\da-f-]{36})\] ReplayId 100$/.exec(sent)?.[1]
    expect(uuid, r.stdout).to.be.a('string')
    expect(answered).to.match(/^<-- \[201 Created\] POST http:\/\/127\.0\.0\.1:\d+\/handleDataCloudDataChangeEvent\?orgId=00D\w{15}&apiName=My_Target \(\d+ ms\)$/)
    expect(body.join('\n')).to.equal('{\n  "received": 1\n}\n')
    expect(app.requests.map(q => [q.authStatus, q.status])).to.deep.equal([[200, 201]])
    const [got] = app.requests
    const event = JSON.parse(got.body).events[0]
    expect(event).to.deep.include({ActionDeveloperName: 'My_Target', EventType: 'CDCEvent', EventUuid: uuid, PayloadCurrentValue: {Amount__c: 42, Name__c: 'Acme'}, SourceObjectDeveloperName: 'Account_Home__dlm'})
    expect(got.headers['content-type']).to.equal('application/json')
    expect(got.headers['x-signature']).to.match(/^[\w+/]{43}=$/)

    const json = await run(['applink:events:trigger', 'My_Target', '-a', APP, '--url', app.url, '--json'])
    const doc = JSON.parse(json.stdout)
    expect(doc.event).to.include({api_name: 'My_Target', connection_name: 'dc_org', kind: 'new', replay_id: 200})
    expect(doc.response).to.include({status: 201})
    expect(doc.request.headers['x-signature']).to.equal(app.requests[1].headers['x-signature'])
  })

  it('a tampered signature or body is refused by the emulator\'s check (401), so the app answers 403', async () => {
    const [good] = app.requests
    const signature = String(good.headers['x-signature'])
    const tampered = [
      {body: good.body, signature: `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`},
      {body: good.body.replace('Acme', 'Evil'), signature: String(good.headers['x-signature'])},
    ]
    for (const t of tampered) {
      const res = await fetch(`${app.url}${good.path}`, {body: t.body, headers: {'content-type': 'application/json', 'x-signature': t.signature}, method: 'POST'})
      expect(res.status).to.equal(403)
      expect(app.requests.at(-1)).to.include({authStatus: 401, status: 403})
    }

    await new Promise(resolve => {
      setTimeout(resolve, 200)
    })
    expect(emulator.handle.stderr).to.match(/mesh events-app: data action target request refused: the signature is not the payload's signature with the key of data action target 'My_Target' \(401\)/)
    expect(emulator.handle.stderr).to.match(/mesh events-app: authenticated data action target 'My_Target' request from org 00D\w{15} \(200\)/)
  })

  it('--resend sends the same body and signature; --duplicate the same EventUuid; --out-of-order an older ReplayId', async () => {
    const [first] = app.requests
    const uuid = JSON.parse(first.body).events[0].EventUuid
    const resent = await run(['applink:events:trigger', 'My_Target', '-a', APP, '--url', app.url, '--resend', uuid])
    expect(resent.stdout.split('\n')[0]).to.equal(`--> CDCEvent My_Target [${uuid}] ReplayId 100 (resent: same body and signature)`)
    const last = app.requests.at(-1)!
    expect([last.body, last.headers['x-signature'], last.status]).to.deep.equal([first.body, first.headers['x-signature'], 201])

    await run(['applink:events:trigger', 'My_Target', '-a', APP, '--url', app.url, '--duplicate'])
    const dup = app.requests.at(-1)!
    const newest = app.requests[1]
    expect(JSON.parse(dup.body).events).to.deep.equal(JSON.parse(newest.body).events)
    expect(dup.status).to.equal(201)

    await run(['applink:events:trigger', 'My_Target', '-a', APP, '--url', app.url, '--out-of-order'])
    const late = JSON.parse(app.requests.at(-1)!.body).events[0]
    const newestEvent = JSON.parse(newest.body).events[0]
    expect(Number(late.ReplayId)).to.be.below(Number(newestEvent.ReplayId))
    expect(Date.parse(late.EventPublishDateTime)).to.be.below(Date.parse(newestEvent.EventPublishDateTime))
  })

  it('an event the app refuses (no events) exits 1 after showing the app\'s 400', async () => {
    const r = await run(['applink:events:trigger', 'My_Target', '-a', APP, '--url', app.url, '--data', '{"count": 0, "events": []}'], 1)
    expect(r.stdout).to.match(/^--> event My_Target \[no EventUuid\] \(body from --data\/--file\)\n<-- \[400 Bad Request\] POST .* \(\d+ ms\)\n\{\n {2}"error": "events must have at least 1 item"\n\}\n$/)
    expect(app.requests.at(-1)).to.include({authStatus: 200, status: 400})
  })

  it('the signing key appears in no output, log or dashboard page; the token in none of the CLI\'s', async () => {
    const store = JSON.parse(readFileSync(join(tmp, 'emulator', 'data.json'), 'utf8'))
    const key = store.data_action_targets[0].signing_key as string
    expect(key).to.match(/^[\w-]{43}$/)
    const dashboard = await (await fetch(`${emulator.url}/`)).text()
    expect(dashboard).to.contain('My_Target')
    const everything = [...outputs, emulator.handle.stdout, emulator.handle.stderr, dashboard].join('\n')
    expect(everything.includes(key), 'the signing key leaked').to.equal(false)
    expect(outputs.filter(o => !o.startsWith('{') || !o.includes('HEROKU_APPLINK_TOKEN')).join('\n').includes(token), 'the AppLink token leaked').to.equal(false)
  })
})
