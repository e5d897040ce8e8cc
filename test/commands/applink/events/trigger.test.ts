/**
 * applink:events:trigger with nock: the exact requests (the emulated Data Cloud's events route, then
 * the signed event to the app), what a user sees, and the exit codes. Against the hosted AppLink it
 * refuses with exit 2 and sends nothing to AppLink or the app; bad flags exit 2 before any request.
 */
import {expect} from 'chai'
import nock from 'nock'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {APP, applinkApi, assertNoSecrets, BASE, localHerokuHost, platformApi, run as runLoose} from '../../../helpers/applink.js'
import {resolutionAnswers} from '../../../helpers/fixture.js'
import {nothingSent} from '../../../helpers/requests.js'
import {asPipe} from '../../../helpers/terminal.js'

const run = (args: string[]) => runLoose(args, {exact: true})
const EMULATOR = 'http://127.0.0.1:5050'
const APP_URL = 'http://127.0.0.1:3999'
const ORG_ID = '00D000000000001EAA'
const UUID = '5b0e7a40-2a53-4c1e-9f57-0b6a1d3f8e21'
const PAYLOAD = JSON.stringify({count: 1, creationDateTime: '2026-12-07T10:00:00.000Z', events: [{ActionDeveloperName: 'My_Target', EventType: 'CDCEvent', EventUuid: UUID, PayloadCurrentValue: {Amount__c: 42, Name__c: 'Acme'}, ReplayId: '100', SourceObjectDeveloperName: 'Account_Home__dlm'}], schemas: []})
const SIGNATURE = 'uruO+yjX8KKjl72GkQbLXuoMyAilC5losEnY1Liiu30='
const PATH = `/handleDataCloudDataChangeEvent?orgId=${ORG_ID}&apiName=My_Target`

function event(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {api_name: 'My_Target', connection_name: 'dc_org', event_uuid: UUID, kind: 'new', org_id: ORG_ID, path: PATH, payload: PAYLOAD, replay_id: 100, signature: SIGNATURE, ...over}
}

/** HEROKU_HOST on this machine, as the emulator's (set for every test of this file but the hosted ones). */
let platformOrigin = ''

/** The Platform API with the add-on's AppLink API on this machine (the emulator). */
function emulated(): void {
  platformApi({config: resolutionAnswers(`${EMULATOR}${BASE}`).configVars, origin: platformOrigin})
}

interface Received {
  body: string
  headers: Record<string, unknown>
  path: string
}

/** The app, answering `status` and recording what it got (raw body). */
function app(received: Received[], status = 201, answer: unknown = {ok: true}, origin = APP_URL): nock.Scope {
  return nock(origin).post(/.*/).reply(function (path, body) {
    received.push({body: typeof body === 'string' ? body : JSON.stringify(body), headers: this.req.headers, path})
    return [status, answer]
  })
}

describe('applink:events:trigger', () => {
  asPipe()
  const host = localHerokuHost()
  beforeEach(() => {
    platformOrigin = host.url
    nock.disableNetConnect()
  })
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    nock.enableNetConnect()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })

  const trigger = (...args: string[]) => run(['applink:events:trigger', 'My_Target', '-a', APP.name, ...args])

  it('asks the emulated Data Cloud for a signed event and posts it to the app as Data Cloud does', async () => {
    emulated()
    applinkApi(EMULATOR).post(`${BASE}/data_action_targets/My_Target/events`, {object: 'Account_Home__dlm', values: {Amount__c: 42, Name__c: 'Acme'}}).reply(200, event())
    const received: Received[] = []
    app(received)
    const {exitCode, stderr, stdout} = await trigger('--url', APP_URL, '--object', 'Account_Home__dlm', '--set', 'Name__c=Acme', '--set', 'Amount__c:=42')
    expect(exitCode, stderr).to.equal(0)
    expect(received).to.have.length(1)
    expect(received[0].path).to.equal(PATH)
    expect(received[0].body).to.equal(PAYLOAD)
    expect(received[0].headers).to.deep.include({'content-length': String(Buffer.byteLength(PAYLOAD)), 'content-type': 'application/json', 'x-signature': SIGNATURE})
    expect(Object.keys(received[0].headers).sort()).to.deep.equal(['connection', 'content-length', 'content-type', 'host', 'x-signature'])
    const lines = stdout.split('\n')
    expect(lines[0]).to.equal(`--> CDCEvent My_Target [${UUID}] ReplayId 100`)
    expect(lines[1]).to.match(new RegExp(`^<-- \\[201 Created\\] POST ${APP_URL.replaceAll('.', '\\.')}/handleDataCloudDataChangeEvent\\?orgId=${ORG_ID}&apiName=My_Target \\(\\d+ ms\\)$`))
    expect(lines.slice(2).join('\n')).to.equal('{\n  "ok": true\n}\n')
    expect(stderr).to.equal('')
    assertNoSecrets(stdout + stderr)
  })

  it('goes to http://127.0.0.1:$APP_PORT (then $PORT, then 3000) by default, the --url path kept as a prefix', async () => {
    const saved = {APP_PORT: process.env.APP_PORT, PORT: process.env.PORT}
    try {
      const received: Received[] = []
      process.env.APP_PORT = '3999'
      process.env.PORT = '4000'
      emulated()
      applinkApi(EMULATOR).post(`${BASE}/data_action_targets/My_Target/events`, {}).reply(200, event())
      app(received)
      expect((await trigger()).exitCode).to.equal(0)
      delete process.env.APP_PORT
      delete process.env.PORT
      emulated()
      applinkApi(EMULATOR).post(`${BASE}/data_action_targets/My_Target/events`, {}).reply(200, event())
      app(received, 201, {}, 'http://127.0.0.1:3000')
      expect((await trigger()).exitCode).to.equal(0)
      emulated()
      applinkApi(EMULATOR).post(`${BASE}/data_action_targets/My_Target/events`, {}).reply(200, event())
      app(received)
      expect((await trigger('--url', `${APP_URL}/mesh/`)).exitCode).to.equal(0)
      expect(received.map(r => r.path)).to.deep.equal([PATH, PATH, `/mesh${PATH}`])
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
    }
  })

  it('--json: one document with the event, the request as sent and the app\'s answer', async () => {
    emulated()
    applinkApi(EMULATOR).post(`${BASE}/data_action_targets/My_Target/events`, {}).reply(200, event())
    app([], 201, {ok: true})
    const {exitCode, json, stderr} = await trigger('--url', APP_URL, '--json')
    expect(exitCode, stderr).to.equal(0)
    const doc = json as {request: unknown; response: {duration_ms: number; headers: unknown}}
    expect(doc).to.deep.include({
      event: {api_name: 'My_Target', connection_name: 'dc_org', event_uuid: UUID, kind: 'new', org_id: ORG_ID, replay_id: 100},
      request: {body: JSON.parse(PAYLOAD), headers: {'content-type': 'application/json', 'x-signature': SIGNATURE}, method: 'POST', url: `${APP_URL}${PATH}`},
    })
    expect(doc.response).to.deep.include({body: {ok: true}, status: 201})
  })

  it('--resend, --duplicate, --out-of-order and --from-record ask for that event, and the --> line says which', async () => {
    const cases: Array<[string[], nock.DataMatcherMap, string, string]> = [
      [['--resend', UUID], {resend: UUID}, 'resend', ' (resent: same body and signature)'],
      [['--duplicate'], {duplicate: true}, 'duplicate', ' (duplicate: same EventUuid, new delivery)'],
      [['--out-of-order', '--set', 'Name__c=Late'], {out_of_order: true, values: {Name__c: 'Late'}}, 'out_of_order', ' (out of order: older than the last event sent)'],
      [['--from-record', 'r1', '--object', 'Account_Home__dlm', '--set', 'Amount__c:=8'], {from_record: 'r1', object: 'Account_Home__dlm', values: {Amount__c: 8}}, 'new', ''],
    ]
    for (const [flags, body, kind, note] of cases) {
      emulated()
      applinkApi(EMULATOR).post(`${BASE}/data_action_targets/My_Target/events`, body).reply(200, event({kind}))
      const received: Received[] = []
      app(received)
      const {exitCode, stderr, stdout} = await trigger('--url', APP_URL, ...flags)
      expect(exitCode, stderr).to.equal(0)
      expect(stdout.split('\n')[0]).to.equal(`--> CDCEvent My_Target [${UUID}] ReplayId 100${note}`)
      expect(received[0].headers['x-signature']).to.equal(SIGNATURE)
    }
  })

  it('--data and --file send a whole body to sign, as given; -o names the connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'events-'))
    try {
      const text = '{"count": 1, "events": [{"EventUuid": "mine"}]}\n'
      writeFileSync(join(dir, 'event.json'), text)
      for (const flags of [['--data', text], ['--file', join(dir, 'event.json')]]) {
        emulated()
        applinkApi(EMULATOR).post(`${BASE}/data_action_targets/My_Target/events`, {connection_name: 'dc_org', payload: text}).reply(200, event({event_uuid: 'mine', kind: 'payload', payload: text, replay_id: null}))
        const received: Received[] = []
        app(received)
        const {exitCode, stderr, stdout} = await trigger('--url', APP_URL, '-o', 'dc_org', ...flags)
        expect(exitCode, stderr).to.equal(0)
        // nock hands over the body parsed: the same JSON, and exactly as many bytes as the file
        expect(JSON.parse(received[0].body)).to.deep.equal(JSON.parse(text))
        expect(received[0].headers['content-length']).to.equal(String(Buffer.byteLength(text)))
        expect(stdout.split('\n')[0]).to.equal('--> event My_Target [mine] (body from --data/--file)')
      }
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  })

  it('exits 1 after showing an app\'s answer that is not 2xx', async () => {
    emulated()
    applinkApi(EMULATOR).post(`${BASE}/data_action_targets/My_Target/events`, {}).reply(200, event())
    app([], 400, 'events must have at least 1 item')
    const {exitCode, stderr, stdout} = await trigger('--url', APP_URL)
    expect(exitCode).to.equal(1)
    expect(stdout).to.match(/^--> .*\n<-- \[400 Bad Request\] POST .* \(\d+ ms\)\nevents must have at least 1 item\n$/)
    expect(stderr).to.equal('')
  })

  it('nothing listening at the app: exit 1, and how to send the same event again', async () => {
    const server = createServer()
    await new Promise<void>(resolve => {
      server.listen(0, '127.0.0.1', () => resolve())
    })
    const {port} = server.address() as {port: number}
    await new Promise(resolve => {
      server.close(resolve)
    })
    nock.enableNetConnect(`127.0.0.1:${port}`)
    emulated()
    applinkApi(EMULATOR).post(`${BASE}/data_action_targets/My_Target/events`, {}).reply(200, event())
    const {exitCode, stderr, stdout} = await trigger('--url', `http://127.0.0.1:${port}`)
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal([
      `Error: Nothing is listening at http://127.0.0.1:${port} (connection refused): the event was not delivered.`,
      '  › Start your app (heroku local web, or npm start), or give its address with --url URL (default http://127.0.0.1:$APP_PORT, then $PORT, then 3000).',
      `  › Send the same event again once the app is up: heroku applink:events:trigger My_Target -a ${APP.name} --resend ${UUID}`,
      '',
    ].join('\n'))
  })

  it('the emulator\'s refusal (a target not created yet) exits 1 with its message, nothing sent to the app', async () => {
    emulated()
    applinkApi(EMULATOR).post(`${BASE}/data_action_targets/My_Target/events`, {}).reply(409, {id: 'conflict', message: 'The data action target My_Target is creating, not created: Data Cloud sends events only to a created target.'})
    const {exitCode, stderr} = await trigger('--url', APP_URL)
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain('Error: The data action target My_Target is creating, not created: Data Cloud sends events only to a created target.')
  })

  const HOSTED = [
    `Error: Data action events are sent by Data Cloud: they cannot be triggered locally against the hosted Heroku AppLink (app ${APP.name}); nothing was sent.`,
    '  › On Salesforce, change a record of the object the data action watches: Data Cloud then sends the event to your app.',
    '  › To try your app with signed events on this machine, use the emulator: heroku applink:emulator (docs/events.md).',
    '',
  ].join('\n')

  it('against Heroku (HEROKU_HOST not on this machine): says events come from Data Cloud, exit 2, no request at all', async () => {
    const saved = process.env.HEROKU_HOST
    try {
      for (const value of [undefined, 'https://api.heroku.com']) {
        if (value === undefined) delete process.env.HEROKU_HOST
        else process.env.HEROKU_HOST = value
        platformApi()
        applinkApi().post(/.*/).reply(200, event())
        app([])
        const sent = nothingSent()
        const {exitCode, stderr, stdout} = await trigger('--url', APP_URL)
        expect(exitCode).to.equal(2)
        expect(stdout).to.equal('')
        expect(stderr).to.equal(HOSTED)
        sent.check()
      }
    } finally {
      process.env.HEROKU_HOST = saved
    }
  })

  it('an add-on whose AppLink API is not on this machine: the same refusal, nothing sent to AppLink or the app', async () => {
    applinkApi().post(/.*/).reply(200, event())
    app([])
    const sent = nothingSent()
    platformApi({origin: platformOrigin})
    const {exitCode, stderr, stdout} = await trigger('--url', APP_URL)
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.equal(HOSTED)
    sent.check()
  })

  describe('bad input: exit 2 before any request', () => {
    const cases: Array<[string[], string]> = [
      [['--data', '{}', '--file', 'x.json'], 'Error: --data cannot be combined with --file: give the body one way; nothing was sent.'],
      [['--resend', UUID, '--set', 'A=1'], 'Error: --resend cannot be combined with --set: a resent event has the same body and signature as the first time; nothing was sent.'],
      [['--duplicate', '--out-of-order'], 'Error: --duplicate cannot be combined with --out-of-order: a duplicate carries the same event as the last one sent; nothing was sent.'],
      [['--data', '{}', '--object', 'X__dlm'], 'Error: --data cannot be combined with --object: --data is the whole body, sent as it is; nothing was sent.'],
      [['--file', 'x.json', '--from-record', 'r1'], 'Error: --file cannot be combined with --from-record: --file is the whole body, sent as it is; nothing was sent.'],
      [['--from-record', 'a b'], 'Error: --from-record "a b" is not a record id.'],
      [['--set', 'no-equals'], 'Error: --set "no-equals" is not Field=Value.'],
      [['--set', 'Amount__c:=forty'], 'Error: --set Amount__c:=forty: the value is not JSON.'],
      [['--data', '{not json'], 'Error: The body from --data is not valid JSON'],
      [['--file', '/nonexistent/event.json'], 'Error: --file /nonexistent/event.json: the file does not exist; nothing was sent.'],
      [['--object', 'bad name'], 'Error: --object "bad name" is not an object API name.'],
      [['--url', 'ftp://x'], 'Error: --url ftp://x: use an http:// or https:// URL.'],
    ]
    for (const [flags, message] of cases) {
      it(flags.join(' '), async () => {
        const sent = nothingSent()
        const {exitCode, stderr, stdout} = await trigger(...flags)
        expect(exitCode, stderr).to.equal(2)
        expect(stdout).to.equal('')
        expect(stderr.startsWith(message), stderr).to.equal(true)
        sent.check()
      })
    }

    it('a target name that breaks the name rule', async () => {
      const {exitCode, stderr} = await run(['applink:events:trigger', 'bad-name', '-a', APP.name])
      expect(exitCode).to.equal(2)
      expect(stderr).to.contain('Error: Invalid API name "bad-name": it contains "-"')
    })
  })
})
