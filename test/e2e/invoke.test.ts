/**
 * applink:invoke end to end: the real `heroku` CLI with this plugin linked, against the local
 * AppLink emulator (an app, its add-on and an authorization made through the CLI, auto-approved)
 * and a test app on 127.0.0.1 that parses each request with the real `@heroku/applink` SDK. The
 * org access token comes from the emulator's authorization and must never reach any output, with
 * every debug switch on (DEBUG=*, HEROKU_DEBUG, HEROKU_DEBUG_HEADERS, APPLINK_DEBUG, NODE_DEBUG).
 */
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {repoRoot, startHeroku} from '../../scripts/lib/heroku-env.mjs'
import {type InvokeApp, startInvokeApp} from '../helpers/invoke-app.js'
import {type CliResult, expectNoSecrets, explain, sharedStage} from '../integration/helpers/cli.js'
import {type EmulatorFixture, startEmulatorFixture} from './helpers/emulator.js'

const APP = 'e2e-invoke'
const SPEC = join(repoRoot, 'test', 'fixtures', 'invoke', 'api-spec.yaml')

describe('e2e: applink:invoke through the heroku CLI against the emulator and a test app', function () {
  this.timeout(90_000)
  let emu: EmulatorFixture
  let app: InvokeApp
  let token = ''
  let org: {id: string; instance_url: string; user_id: string; username: string}

  const secrets = () => [emu.env.HEROKU_API_KEY, token, token.split('!')[1]].filter(Boolean)

  async function ok(args: string[], code = 0, env: Record<string, string> = {}): Promise<CliResult> {
    const r = await emu.heroku(args, {env})
    expect(r.code, `heroku ${args.join(' ')}\n${explain(r)}`).to.equal(code)
    return r
  }

  const invoke = (args: string[], code = 0, env: Record<string, string> = {}) => ok(['applink:invoke', ...args, '-a', APP, '--authorization', 'my_auth', '--spec', SPEC, '--url', app.url], code, env)

  before(async function () {
    this.timeout(180_000)
    app = await startInvokeApp()
    emu = await startEmulatorFixture({autoApprove: true})
    await ok(['apps:create', APP])
    await ok(['addons:create', 'heroku-applink', '-a', APP])
    await ok(['salesforce:authorizations:add', 'my_auth', '-a', APP])
    const data = JSON.parse(readFileSync(join(emu.dataDir, 'data.json'), 'utf8')) as {authorizations: Array<{access_token?: string; name: string; org: typeof org}>}
    const record = data.authorizations.find(a => a.name === 'my_auth')!
    token = record.access_token ?? ''
    org = record.org
    expect(token, 'the emulator gave the authorization an org access token').to.match(/^00D\w+!\S+$/)
  })

  after(async () => {
    await emu?.stop()
    await app?.close()
  })

  beforeEach(() => {
    app.requests.length = 0
    app.next = undefined
  })

  it('invokes createAccount as the authorized user; the SDK reads the org, the user and the token', async () => {
    const r = await invoke(['createAccount', '--data', '{"name": "Acme", "contact": {"lastName": "Doe"}}'])
    expect(r.stdout).to.equal('{\n  "accountId": "001000000000002AAA",\n  "contactId": null\n}\n')
    expect(r.stderr).to.match(new RegExp(`^201 Created  POST ${app.url}/accounts \\(\\d+ ms\\)\\n$`))
    expect(app.requests).to.have.length(1)
    const [req] = app.requests
    const requestId = String(req.headers['x-request-id'])
    expect(requestId).to.match(new RegExp(`^${org.id}-[0-9a-f-]{36}-\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$`))
    expect(req.sdk).to.deep.equal({
      accessToken: token,
      apiVersion: '62.0',
      domainUrl: emu.env.HEROKU_HOST,
      eventData: {contact: {lastName: 'Doe'}, name: 'Acme'},
      id: requestId,
      namespace: '',
      orgId: org.id,
      userId: org.user_id,
      username: org.username,
    })
    const context = JSON.parse(Buffer.from(String(req.headers['x-request-context']), 'base64').toString('utf8'))
    expect(context).to.include({auth: token, orgDomainUrl: emu.env.HEROKU_HOST, orgId: org.id})
    expectNoSecrets(r.stdout + r.stderr, secrets())
  })

  it('refuses an invalid body with the JSON paths, exit 2, and the app receives nothing', async () => {
    const r = await invoke(['createAccount', '--data', '{"industry": "Mining"}'], 2)
    expect(r.stderr).to.contain('  request body name: is required but missing\n')
    expect(r.stderr).to.contain('  request body industry: expected one of "Agriculture", "Banking", "Energy", "Technology", got the string "Mining"\n')
    expect(app.requests).to.deep.equal([])
  })

  it('--json prints one document, the token masked even where the app echoes it', async () => {
    app.next = {body: {accountId: '001000000000009AAA', echo: token}, status: 201}
    const r = await invoke(['createAccount', '--data', '{"name": "Acme"}', '--json'])
    const doc = JSON.parse(r.stdout) as {problems: unknown[]; request: {decoded_headers: Record<string, Record<string, unknown>>; headers: Record<string, string>}; response: {body: Record<string, unknown>; status: number}}
    expect(doc.response.status).to.equal(201)
    expect(doc.response.body).to.deep.equal({accountId: '001000000000009AAA', echo: '[REDACTED]'})
    expect(doc.request.headers['x-client-context']).to.equal('[REDACTED]')
    expect(doc.request.decoded_headers['x-client-context']).to.deep.include({accessToken: '[REDACTED]', orgId: org.id, userContext: {userId: org.user_id, username: org.username}})
    expect(doc.problems).to.deep.equal([])
    expectNoSecrets(r.stdout + r.stderr, [...secrets(), String(app.requests[0].headers['x-client-context']), String(app.requests[0].headers['x-request-context'])])
  })

  it('shows no token with every debug switch on, NODE_DEBUG included', async () => {
    const env = {APPLINK_DEBUG: '1', DEBUG: '*', HEROKU_DEBUG: '1', HEROKU_DEBUG_HEADERS: '1', NODE_DEBUG: 'http,https,net,tls,fetch'}
    app.next = {body: {accountId: '001000000000009AAA', token}, headers: {'x-echo': Buffer.from(token).toString('base64')}, status: 201}
    const r = await invoke(['createAccount', '--data', '{"name": "Acme"}', '-i'], 0, env)
    expect(r.stderr).to.contain('applink --> POST')
    // Node's own http trace ran (it prints every request's headers)
    expect(r.stderr).to.match(/^HTTP \d+: /m)
    const [req] = app.requests
    expectNoSecrets(r.stdout + r.stderr, [...secrets(), String(req.headers['x-client-context']), String(req.headers['x-request-context'])])
  })

  it('an error status shows the body and exits 1; nothing listening names the URL', async () => {
    const notFound = await invoke(['getAccount', '-p', 'accountId=missing'], 1)
    expect(JSON.parse(notFound.stdout)).to.deep.equal({message: 'No account missing'})
    const down = await ok(['applink:invoke', 'listAccounts', '-a', APP, '--authorization', 'my_auth', '--spec', SPEC, '--url', 'http://127.0.0.1:9'], 1)
    expect(down.stderr).to.contain('Error: Nothing is listening at http://127.0.0.1:9 (connection refused); nothing was sent.')
    expect(down.stderr).to.contain('Start your app with: heroku local web (or npm start), then invoke again.')
  })

  it('names an unknown authorization and points at the list command', async () => {
    const r = await ok(['applink:invoke', 'listAccounts', '-a', APP, '--authorization', 'nobody_auth', '--spec', SPEC, '--url', app.url], 1)
    expect(r.stderr).to.contain(`Error: Authorization nobody_auth was not found on app ${APP}.`)
    expect(r.stderr).to.contain(`heroku applink:authorizations -a ${APP}`)
    expect(app.requests).to.deep.equal([])
  })

  it('Ctrl-C while the app works exits 130 and says how to find the request, with telemetry on', async () => {
    app.next = {status: 0}
    // telemetry at its default: the CLI then installs its own SIGINT handler
    const handle = startHeroku(await sharedStage(), ['applink:invoke', 'listAccounts', '-a', APP, '--authorization', 'my_auth', '--spec', SPEC, '--url', app.url], {env: {...emu.env, DISABLE_TELEMETRY: undefined}})
    // wait until the app holds the request, then interrupt
    for (let i = 0; i < 2400 && app.requests.length === 0 && handle.child.exitCode === null; i++) await new Promise(resolve => {
      setTimeout(resolve, 50)
    })
    expect(app.requests, `the app received the request\n${handle.stderr}`).to.have.length(1)
    const r = await handle.stop('SIGINT', 20_000)
    const requestId = String(app.requests[0].headers['x-request-id'])
    expect(r.code, explain(r)).to.equal(130)
    expect(r.stderr).to.contain(`Interrupted: GET ${app.url}/accounts was sent and the app may still complete it; look for x-request-id ${requestId} in its logs.`)
    expectNoSecrets(r.stdout + r.stderr, secrets())
  })
})
