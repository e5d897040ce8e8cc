/**
 * The compiled plugin, linked into the real `heroku` CLI (npm package heroku, v11), run without a
 * TTY against scripted servers on 127.0.0.1: one plays the Heroku Platform API (HEROKU_HOST), the
 * other the AppLink API (the add-on's HEROKU_APPLINK_API_URL). Each test pins the exact requests
 * the CLI sent and what the user sees: stdout, stderr and the exit code.
 */
import {expect} from 'chai'
import {generateKeyPairSync} from 'node:crypto'
import {chmodSync, existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {unzipSync} from 'fflate'

import {ADDON, APP, APPLINK_TOKEN, BASE, HEROKU_TOKEN, SECRETS, SSO_BODY, SSO_HEADER, USER_AGENT} from '../helpers/fixture.js'
import {type CliResult, expectNoSecrets, explain, heroku} from './helpers/cli.js'
import {scriptResolution, useScriptedWorld} from './helpers/scripted.js'
import {parseMultipart, type Recorded, type ScriptedServer} from './helpers/server.js'

const PLATFORM_PATHS = [
  `/apps/${APP.name}`,
  `/apps/${APP.name}/addon-attachments`,
  `/apps/${APP.name}/addons`,
  `/apps/${APP.name}/addons/${ADDON.id}/sso`,
  `/apps/${APP.name}/config-vars`,
]

function connection(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    addon_id: ADDON.id,
    created_at: '2026-11-01T10:00:00Z',
    created_by: 'dev@example.com',
    id: 'c1c1c1c1-2222-4333-8444-555555555555',
    org: {connection_name: 'sales_org', id: '00D000000000042EAA', instance_url: 'https://sales.my.salesforce.com', type: 'SalesforceOrg', user_id: '005000000000042AAA', username: 'admin@sales.example'},
    status: 'connected',
    ...overrides,
  }
}

describe('integration: the plugin through the real heroku CLI, against scripted servers', function () {
  this.timeout(120_000)

  let platform: ScriptedServer
  let applink: ScriptedServer
  let tmp: string
  let browserLog: string

  const world = useScriptedWorld('applink-int-')
  before(() => {
    ({applink, platform, tmp} = world)
    // a stand-in browser: if the CLI tried to open one, this file would appear
    browserLog = join(tmp, 'browser-opened')
    writeFileSync(join(tmp, 'browser.sh'), `#!/bin/sh\necho "$@" >> '${browserLog}'\n`)
    chmodSync(join(tmp, 'browser.sh'), 0o755)
  })

  beforeEach(() => {
    scriptResolution(platform, `${applink.url}${BASE}`)
  })

  afterEach(function () {
    // a failed test already says what went wrong; checking more would skip the tests after it
    if (this.currentTest?.state !== 'passed') return
    expect(platform.unexpected.map(r => `${r.method} ${r.path}`), 'unexpected Platform API requests').to.deep.equal([])
    expect(applink.unexpected.map(r => `${r.method} ${r.path}`), 'unexpected AppLink API requests').to.deep.equal([])
    expect(applink.pending(), 'AppLink requests the command should have made').to.deep.equal([])
    expect(existsSync(browserLog), 'a browser was opened without a terminal').to.equal(false)
  })

  async function run(args: string[]): Promise<CliResult> {
    const r = await heroku(args, {env: {BROWSER: join(tmp, 'browser.sh'), DISPLAY: undefined, HEROKU_API_KEY: HEROKU_TOKEN, HEROKU_HOST: platform.url}})
    // SHOW_OUTPUT=1 prints every command with what it printed, to write or debug a test
    if (process.env.SHOW_OUTPUT) console.error(`$ heroku ${args.join(' ')}\n${explain(r)}`)
    return r
  }

  /** Add-on resolution (docs/applink-api.md §1): the four reads, then the SSO call, all with the Heroku token. */
  function expectPlatformResolution(): void {
    expect(platform.requests.map(r => `${r.method} ${r.path}`).sort()).to.deep.equal(PLATFORM_PATHS.map(p => `GET ${p}`))
    for (const r of platform.requests) expect(r.headers.authorization, `${r.path} auth`).to.equal(`Bearer ${HEROKU_TOKEN}`)
    const sso = platform.requests.find(r => r.path.endsWith('/sso'))!
    expect(sso.headers.accept).to.equal('application/vnd.heroku+json; version=3.sdk')
    // the SSO call needs the add-on id, so it comes after the reads
    expect(platform.requests.at(-1)).to.equal(sso)
  }

  /** Contract §2: every AppLink request carries these headers, and never the Heroku token. */
  function expectAppLinkHeaders(r: Recorded): void {
    expect(r.headers.authorization, `${r.method} ${r.path} authorization`).to.equal(`Bearer ${APPLINK_TOKEN}`)
    expect(r.headers['x-addon-sso'], `${r.method} ${r.path} x-addon-sso`).to.equal(SSO_HEADER)
    expect(JSON.parse(Buffer.from(String(r.headers['x-addon-sso']), 'base64').toString('utf8'))).to.deep.equal(SSO_BODY)
    expect(r.headers['x-app-uuid'], `${r.method} ${r.path} x-app-uuid`).to.equal(APP.id)
    expect(r.headers.accept).to.equal('application/json')
    expect(r.headers['user-agent'], `${r.method} ${r.path} user-agent`).to.match(USER_AGENT)
  }

  function applinkCalls(): string[] {
    for (const r of applink.requests) expectAppLinkHeaders(r)
    return applink.requests.map(r => `${r.method} ${r.path}`)
  }

  it('applink:connections lists the connections from GET /addons/{id}/connections', async () => {
    applink.on('GET', `${BASE}/connections`, {body: [
      connection(),
      connection({error: {id: 'org_connection_failed', message: 'Refresh token expired'}, id: 'c2', org: {connection_name: 'dc_org', type: 'DatacloudOrg'}, status: 'failed'}),
    ]})
    const r = await run(['applink:connections', '-a', APP.name])
    expect(r.code, explain(r)).to.equal(0)
    expectPlatformResolution()
    expect(applinkCalls()).to.deep.equal([`GET ${BASE}/connections`])
    expect(r.stdout).to.contain(`Heroku AppLink connections for app ${APP.name}`)
    expect(r.stdout).to.match(/sales_org\s+Salesforce Org\s+00D000000000042EAA\s+connected\s+admin@sales\.example/)
    expect(r.stdout).to.match(/dc_org\s+Data Cloud Org\s+failed\s+Refresh token expired/)
    expect(r.stderr).to.equal('')
    expectNoSecrets(r.stdout + r.stderr, SECRETS)
  })

  it('applink:connections --json prints exactly the API resources on stdout', async () => {
    const body = [connection()]
    applink.on('GET', `${BASE}/connections`, {body})
    const r = await run(['applink:connections', '-a', APP.name, '--json'])
    expect(r.code, explain(r)).to.equal(0)
    expect(JSON.parse(r.stdout)).to.deep.equal(body)
  })

  it('applink:connections maps a 401 from AppLink to exit 1 with a message, no token in sight', async () => {
    applink.on('GET', `${BASE}/connections`, {body: {id: 'unauthorized', message: 'Invalid credentials'}, status: 401})
    const r = await run(['applink:connections', '-a', APP.name])
    expect(r.code, explain(r)).to.equal(1)
    expect(r.stdout).to.equal('')
    expect(r.stderr).to.contain('Error: The AppLink service at 127.0.0.1:')
    expect(r.stderr).to.contain('refused the add-on\'s token (HTTP 401: Invalid credentials)')
    expect(r.stderr).to.contain(`  › The token comes from the add-on's _TOKEN config var. If the add-on was just created or its credentials rotated, wait a minute and retry; otherwise check it with: heroku addons -a ${APP.name}\n`)
    expect(applinkCalls()).to.deep.equal([`GET ${BASE}/connections`])
    expectNoSecrets(r.stdout + r.stderr, SECRETS)
  })

  it('salesforce:connect (OAuth) without a TTY prints the login URL on stderr, polls until connected, exit 0', async () => {
    const id = 'c3c3c3c3-1111-4222-8333-444444444444'
    const redirect = `https://login.example.com/services/oauth2/authorize?client_id=abc&state=${id}`
    const pending = connection({id, org: {connection_name: 'new_org', type: 'SalesforceOrg'}, redirect_uri: redirect, status: 'connecting'})
    applink
    .on('POST', `${BASE}/connections/salesforce`, {body: pending, status: 202})
    .on('GET', `${BASE}/connections/${id}`, {body: pending})
    .on('GET', `${BASE}/connections/${id}`, {body: connection({id, org: {connection_name: 'new_org', id: '00D000000000077EAA', instance_url: 'https://new.my.salesforce.com', type: 'SalesforceOrg', username: 'admin@new.example'}, status: 'connected'})})
    const r = await run(['salesforce:connect', 'new_org', '-a', APP.name])
    expect(r.code, explain(r)).to.equal(0)
    expectPlatformResolution()
    expect(applinkCalls()).to.deep.equal([`POST ${BASE}/connections/salesforce`, `GET ${BASE}/connections/${id}`, `GET ${BASE}/connections/${id}`])
    const [post] = applink.requests
    expect(post.headers['content-type']).to.match(/^application\/json/)
    expect(post.json).to.deep.equal({connection_name: 'new_org'})
    expect(r.stderr).to.contain(`Open this URL in a browser to log in: ${redirect}\n`)
    expect(r.stderr).to.contain(`new_org to ${APP.name}: connected\n`)
    expect(r.stdout).to.not.contain(redirect)
    expect(r.stdout).to.match(/Connection Name:\s+new_org\n/)
    expect(r.stdout).to.match(/Status:\s+connected\n/)
    expect(r.stdout).to.match(/Org ID:\s+00D000000000077EAA\n/)
    expectNoSecrets(r.stdout + r.stderr, SECRETS)
  })

  it('salesforce:connect:jwt sends the key file\'s text once, in the JSON body, and never prints it', async () => {
    const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048, privateKeyEncoding: {format: 'pem', type: 'pkcs8'}, publicKeyEncoding: {format: 'pem', type: 'spki'}})
    const keyFile = join(tmp, 'server.key')
    writeFileSync(keyFile, privateKey)
    const result = connection({app_id: APP.id, connection_method: 'JWT', id: 'c4c4c4c4-1111-4222-8333-444444444444', org: {connection_name: 'jwt_org', id: '00D000000000099EAA', instance_url: 'https://jwt.my.salesforce.com', type: 'SalesforceOrg', username: 'integration@jwt.example'}})
    applink.on('POST', `${BASE}/connections/salesforce/jwt`, {body: result, status: 201})
    const r = await run(['salesforce:connect:jwt', 'jwt_org', '-a', APP.name, '--client-id', '3MVG9consumerKey', '--jwt-key-file', keyFile, '--username', 'integration@jwt.example', '-l', 'https://test.salesforce.com'])
    expect(r.code, explain(r)).to.equal(0)
    expectPlatformResolution()
    expect(applinkCalls()).to.deep.equal([`POST ${BASE}/connections/salesforce/jwt`])
    const body = applink.requests[0].json as Record<string, string>
    expect(body.alias).to.match(/^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/)
    expect(body).to.deep.equal({
      alias: body.alias,
      client_id: '3MVG9consumerKey',
      connection_name: 'jwt_org',
      jwt_private_key: privateKey,
      login_url: 'https://test.salesforce.com',
      username: 'integration@jwt.example',
    })
    const keyLines = privateKey.split('\n').filter(l => l.length > 16 && !l.startsWith('-----'))
    expectNoSecrets(r.stdout + r.stderr, [...SECRETS, ...keyLines])
    expect(r.stderr).to.contain(`jwt_org to ${APP.name} with JWT as integration@jwt.example... connected`)
    expect(r.stdout).to.match(/Connection Name:\s+jwt_org\n/)
    expect(r.stdout).to.match(/Username:\s+integration@jwt\.example\n/)
  })

  it('salesforce:publish uploads a zip with the spec and the app_request JSON as multipart/form-data', async () => {
    const spec = [
      'openapi: 3.0.3',
      'info:',
      '  title: Integration API',
      '  version: 1.0.0',
      '  description: An API used by the integration test',
      'servers:',
      '  - url: https://int-app.herokuapp.com',
      'paths:',
      '  /ping:',
      '    get:',
      '      operationId: ping',
      '      summary: Ping',
      '      description: Answers pong',
      '      responses:',
      '        "200":',
      '          description: pong',
      '          content:',
      '            application/json:',
      '              schema:',
      '                type: object',
      '                properties:',
      '                  pong:',
      '                    type: boolean',
      '                    description: always true',
      '',
    ].join('\n')
    const specFile = join(tmp, 'api.yaml')
    writeFileSync(specFile, spec)
    applink.on('POST', `${BASE}/connections/salesforce/sales_org/apps`, {body: {app_uuid: APP.id, connection_name: 'sales_org', esr_id: 'esr-1', esr_name: 'IntegrationClient', heroku_applink_id: 'hal-1', org_id: '00D000000000042EAA'}, status: 201})
    const r = await run(['salesforce:publish', specFile, '-a', APP.name, '-c', 'IntegrationClient', '--connection-name', 'sales_org', '--authorization-permission-set-name', 'Int_Perms'])
    expect(r.code, explain(r)).to.equal(0)
    expectPlatformResolution()
    expect(applinkCalls()).to.deep.equal([`POST ${BASE}/connections/salesforce/sales_org/apps`])
    const post = applink.requests[0]
    const contentType = String(post.headers['content-type'])
    expect(contentType).to.match(/^multipart\/form-data; ?boundary=/)
    const parts = parseMultipart(post.body, contentType)
    expect(parts.map(p => p.name).sort()).to.deep.equal(['app_request', 'metadata'])
    const appRequest = parts.find(p => p.name === 'app_request')!
    expect(appRequest.contentType).to.match(/^application\/json/)
    expect(JSON.parse(appRequest.body.toString('utf8'))).to.deep.equal({authorization_permission_set_name: 'Int_Perms', client_name: 'IntegrationClient'})
    const metadata = parts.find(p => p.name === 'metadata')!
    expect(metadata.contentType).to.equal('application/zip')
    const files = unzipSync(new Uint8Array(metadata.body))
    expect(Object.keys(files)).to.deep.equal(['api-spec.yaml'])
    expect(Buffer.from(files['api-spec.yaml']).toString('utf8')).to.equal(spec)
    expect(r.stderr).to.match(new RegExp(`^Publishing ${specFile.replaceAll('.', '\\.')} to sales_org as IntegrationClient\\.\\.\\. done\\n$`))
    expect(r.stdout).to.contain('Published api.yaml to connection sales_org as IntegrationClient: 1 operation.\n')
    expect(r.stdout).to.match(/GET\s+\/ping\s+ping/)
    expectNoSecrets(r.stdout + r.stderr, SECRETS)
  })

  it('salesforce:disconnect --confirm NAME reads the connection (to check its kind), sends one DELETE and reports it on stderr', async () => {
    applink.on('GET', `${BASE}/connections/sales_org`, {body: connection()})
    applink.on('DELETE', `${BASE}/connections/sales_org`, {body: connection({status: 'disconnecting'})})
    const r = await run(['salesforce:disconnect', 'sales_org', '-a', APP.name, '--confirm', 'sales_org'])
    expect(r.code, explain(r)).to.equal(0)
    expectPlatformResolution()
    expect(applinkCalls()).to.deep.equal([`GET ${BASE}/connections/sales_org`, `DELETE ${BASE}/connections/sales_org`])
    expect(applink.requests[1].body.length).to.equal(0)
    expect(r.stderr).to.equal(`Disconnecting Salesforce connection sales_org from ${APP.name}... done\n`)
    expect(r.stdout).to.equal('')
    expectNoSecrets(r.stdout + r.stderr, SECRETS)
  })

  it('salesforce:disconnect without --confirm and without a TTY refuses with exit 2 and sends nothing', async () => {
    const r = await run(['salesforce:disconnect', 'sales_org', '-a', APP.name])
    expect(r.code, explain(r)).to.equal(2)
    expect(platform.requests, 'Platform API requests').to.deep.equal([])
    expect(applink.requests, 'AppLink API requests').to.deep.equal([])
    expect(r.stdout).to.equal('')
    expect(r.stderr).to.contain('--confirm sales_org')
  })
})
