/**
 * End to end: the real `heroku` CLI (npm heroku v11) with this plugin linked, against the local
 * AppLink emulator started with --auto-approve, no TTY. One workflow that uses every command of the
 * plugin plus the core commands apps:create, addons:create and config. The steps build on each
 * other (an app, then its add-on, then connections …), so a failure skips the steps after it.
 */
import {expect} from 'chai'
import {generateKeyPairSync} from 'node:crypto'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {repoRoot} from '../../scripts/lib/heroku-env.mjs'
import {type CliResult, expectNoSecrets, explain} from '../integration/helpers/cli.js'
import {type EmulatorFixture, startEmulatorFixture} from './helpers/emulator.js'

const APP = 'e2e-orders'
const SPEC = join(repoRoot, 'examples', 'orders-api.yaml')

describe('e2e: every command through the heroku CLI against the emulator (--auto-approve)', function () {
  this.timeout(60_000)
  // the steps build on each other: after a failure, the rest are skipped (mocha's bail would
  // also skip this suite for a failure in any earlier file)
  let failed = false
  beforeEach(function () {
    if (failed) this.skip()
  })
  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true
  })

  let emu: EmulatorFixture
  let tmp: string
  let keyFile: string
  let privateKey: string
  let applinkToken = ''
  let apiUrl = ''
  const secrets = (): string[] => [emu.env.HEROKU_API_KEY, applinkToken, ...privateKey.split('\n').filter(l => l.length > 16 && !l.startsWith('-----'))].filter(Boolean)

  /** Runs the command, checks its exit code, and that no secret reached the output. */
  async function ok(args: string[], code = 0): Promise<CliResult> {
    const r = await emu.heroku(args)
    expect(r.code, `heroku ${args.join(' ')}\n${explain(r)}`).to.equal(code)
    // `heroku config` shows config vars by design; every other command must hide the tokens
    if (args[0] !== 'config') expectNoSecrets(r.stdout + r.stderr, secrets())
    return r
  }

  async function json<T>(args: string[]): Promise<T> {
    const r = await ok([...args, '--json'])
    return JSON.parse(r.stdout) as T
  }

  before(async function () {
    this.timeout(120_000)
    tmp = mkdtempSync(join(tmpdir(), 'applink-e2e-'))
    privateKey = generateKeyPairSync('rsa', {modulusLength: 2048, privateKeyEncoding: {format: 'pem', type: 'pkcs8'}, publicKeyEncoding: {format: 'pem', type: 'spki'}}).privateKey
    keyFile = join(tmp, 'server.key')
    writeFileSync(keyFile, privateKey)
    emu = await startEmulatorFixture({autoApprove: true})
  })

  after(async () => {
    await emu?.stop()
    if (tmp) rmSync(tmp, {force: true, recursive: true})
  })

  it('apps:create creates the app', async () => {
    const r = await ok(['apps:create', APP])
    expect(r.stderr).to.contain(`Creating ${APP}... done`)
  })

  it('addons:create heroku-applink provisions the add-on and its config vars', async () => {
    const r = await ok(['addons:create', 'heroku-applink', '-a', APP])
    expect(r.stdout).to.match(/Created applink-\S+ as HEROKU_APPLINK_API_URL, HEROKU_APPLINK_TOKEN/)
  })

  it('config shows HEROKU_APPLINK_API_URL pointing at the emulator and the token', async () => {
    const r = await ok(['config', '-a', APP, '--json'])
    const vars = JSON.parse(r.stdout) as Record<string, string>
    apiUrl = vars.HEROKU_APPLINK_API_URL
    applinkToken = vars.HEROKU_APPLINK_TOKEN
    expect(apiUrl.startsWith(`${emu.emulator.url}/addons/`), apiUrl).to.equal(true)
    expect(applinkToken).to.match(/^\S{16,}$/)
  })

  it('applink:connections says there are none yet', async () => {
    const r = await ok(['applink:connections', '-a', APP])
    expect(r.stdout).to.contain(`There are no Heroku AppLink connections for app ${APP}.`)
  })

  it('salesforce:connect prints the login URL (no TTY), the emulator approves, exit 0', async () => {
    const r = await ok(['salesforce:connect', 'sf_org', '-a', APP])
    expect(r.stderr).to.match(new RegExp(`Open this URL in a browser to log in: ${emu.emulator.url}/oauth/login\\?state=\\w+`))
    expect(r.stdout).to.match(/Connection Name:\s+sf_org\n/)
    expect(r.stdout).to.match(/Status:\s+connected\n/)
  })

  it('salesforce:connect:jwt connects a second org with the JWT bearer flow', async () => {
    const r = await ok(['salesforce:connect:jwt', 'sf_jwt_org', '-a', APP, '--client-id', '3MVG9e2eConsumerKey', '--jwt-key-file', keyFile, '--username', 'integration@e2e.example'])
    expect(r.stdout).to.match(/Connection Name:\s+sf_jwt_org\n/)
    expect(r.stdout).to.match(/Status:\s+connected\n/)
    expect(r.stdout).to.match(/Username:\s+integration@e2e\.example\n/)
  })

  it('datacloud:connect connects a Data Cloud org', async () => {
    const r = await ok(['datacloud:connect', 'dc_org', '-a', APP])
    expect(r.stderr).to.contain(`Open this URL in a browser to log in: ${emu.emulator.url}/oauth/login?state=`)
    expect(r.stderr).to.contain(`Connecting Data Cloud org dc_org to ${APP}: connected`)
    expect(r.stdout).to.match(/Type:\s+Data Cloud Org\n/)
    expect(r.stdout).to.match(/Connection Name:\s+dc_org\n/)
    expect(r.stdout).to.match(/Status:\s+connected\n/)
  })

  it('applink:connections lists the three connections', async () => {
    const r = await ok(['applink:connections', '-a', APP])
    expect(r.stdout).to.match(/sf_org\s+Salesforce Org\s+\S+\s+connected/)
    expect(r.stdout).to.match(/sf_jwt_org\s+Salesforce Org\s+\S+\s+connected/)
    expect(r.stdout).to.match(/dc_org\s+Data Cloud Org\s+\S+\s+connected/)
    const list = await json<Array<{org: {connection_name: string}; status: string}>>(['applink:connections', '-a', APP])
    expect(list.map(c => c.org.connection_name).sort()).to.deep.equal(['dc_org', 'sf_jwt_org', 'sf_org'])
  })

  it('applink:connections:info shows one connection, and a missing one exits 1 naming it', async () => {
    const r = await ok(['applink:connections:info', 'sf_org', '-a', APP])
    expect(r.stdout).to.match(/Connection Name:\s+sf_org\n/)
    expect(r.stdout).to.match(/Status:\s+connected\n/)
    const missing = await ok(['applink:connections:info', 'no_such_org', '-a', APP], 1)
    expect(missing.stdout).to.equal('')
    expect(missing.stderr).to.contain('no_such_org')
    expect(missing.stderr).to.contain('heroku applink:connections')
  })

  it('rejects an invalid connection name with exit 2 before sending anything', async () => {
    const r = await ok(['salesforce:connect', 'bad__name', '-a', APP], 2)
    expect(r.stderr).to.match(/underscore/i)
    const list = await json<unknown[]>(['applink:connections', '-a', APP])
    expect(list).to.have.length(3)
  })

  it('datacloud:data-action-target:create creates a target and waits until it is created', async () => {
    const r = await ok(['datacloud:data-action-target:create', 'Order Events', '-a', APP, '-o', 'dc_org', '-p', '/handleDataCloudDataChangeEvent'])
    expect(r.stderr).to.contain('Creating data action target Order_Events on Data Cloud connection dc_org: created\n')
    expect(r.stdout).to.match(/API Name:\s+Order_Events\n/)
    expect(r.stdout).to.match(/Label:\s+Order Events\n/)
    expect(r.stdout).to.match(/Status:\s+created\n/)
    expect(r.stdout).to.match(/Target Endpoint:\s+\/handleDataCloudDataChangeEvent\n/)
  })

  it('salesforce:authorizations:add authorizes a user (auto-approved login)', async () => {
    const r = await ok(['salesforce:authorizations:add', 'sf_auth', '-a', APP])
    expect(r.stderr).to.contain(`Open this URL in a browser to log in: ${emu.emulator.url}/oauth/login?state=`)
    expect(r.stderr).to.contain(`Authorizing sf_auth for ${APP} (Salesforce org): authorized\n`)
    expect(r.stdout).to.match(/Developer Name:\s+sf_auth\n/)
    expect(r.stdout).to.match(/Status:\s+authorized\n/)
    expect(r.stdout).to.match(/Method:\s+OAuth\n/)
  })

  it('salesforce:authorizations:jwt:add stores JWT credentials with an alias', async () => {
    const auth = await json<{alias: string; connection_method: string; org: {developer_name: string}; status: string}>(['salesforce:authorizations:jwt:add', 'sf_jwt_auth', '-a', APP, '--client-id', '3MVG9e2eConsumerKey', '--jwt-key-file', keyFile, '--username', 'api@e2e.example', '--alias', 'billing'])
    expect(auth.status).to.equal('authorized')
    expect(auth.connection_method).to.equal('JWT')
    expect(auth.org.developer_name).to.equal('sf_jwt_auth')
    expect(auth.alias).to.equal('billing')
  })

  it('datacloud:authorizations:add authorizes a Data Cloud user', async () => {
    const r = await ok(['datacloud:authorizations:add', 'dc_auth', '-a', APP])
    expect(r.stderr).to.contain(`Authorizing dc_auth for ${APP} (Data Cloud org): authorized\n`)
    expect(r.stdout).to.match(/Developer Name:\s+dc_auth\n/)
    expect(r.stdout).to.match(/Type:\s+Data Cloud Org\n/)
  })

  it('datacloud:authorizations:jwt:add stores Data Cloud JWT credentials', async () => {
    const auth = await json<{alias: string; org: {developer_name: string; type: string}; status: string}>(['datacloud:authorizations:jwt:add', 'dc_jwt_auth', '-a', APP, '--client-id', '3MVG9e2eConsumerKey', '--jwt-key-file', keyFile, '--username', 'dc@e2e.example'])
    expect(auth.status).to.equal('authorized')
    expect(auth.org.developer_name).to.equal('dc_jwt_auth')
    expect(auth.org.type).to.match(/^Data[Cc]loudOrg$/)
    expect(auth.alias).to.equal('applink:dc_jwt_auth')
  })

  it('applink:authorizations lists the four authorizations', async () => {
    const r = await ok(['applink:authorizations', '-a', APP])
    expect(r.stdout).to.match(/sf_auth\s+Salesforce Org\s+\S+\s+authorized\s+\S+\s+OAuth/)
    expect(r.stdout).to.match(/sf_jwt_auth\s+Salesforce Org\s+\S+\s+authorized\s+api@e2e\.example\s+JWT/)
    expect(r.stdout).to.match(/dc_auth\s+Data Cloud Org\s+\S+\s+authorized\s+\S+\s+OAuth/)
    expect(r.stdout).to.match(/dc_jwt_auth\s+Data Cloud Org\s+\S+\s+authorized\s+dc@e2e\.example\s+JWT/)
    const list = await json<Array<{org: {developer_name: string}; status: string}>>(['applink:authorizations', '-a', APP])
    expect(list.map(a => `${a.org.developer_name}:${a.status}`).sort()).to.deep.equal(['dc_auth:authorized', 'dc_jwt_auth:authorized', 'sf_auth:authorized', 'sf_jwt_auth:authorized'])
  })

  it('applink:authorizations:info shows one authorization', async () => {
    const r = await ok(['applink:authorizations:info', 'sf_auth', '-a', APP])
    expect(r.stdout).to.contain(`Heroku AppLink authorization sf_auth for app ${APP}`)
    expect(r.stdout).to.match(/Developer Name:\s+sf_auth\n/)
    expect(r.stdout).to.match(/Status:\s+authorized\n/)
  })

  it('applink:spec:validate passes the example spec (no app, no credentials needed)', async () => {
    const r = await emu.heroku(['applink:spec:validate', SPEC], {env: {HEROKU_API_KEY: undefined, HEROKU_HOST: undefined}})
    expect(r.code, explain(r)).to.equal(0)
    expect(r.stdout).to.equal(`${SPEC}: 0 errors, 0 warnings (3 operations, 2 Agentforce actions, topic order_management)\n`)
  })

  it('applink:spec:validate rejects a Swagger 2.0 document with exit 2', async () => {
    const bad = join(tmp, 'swagger.yaml')
    writeFileSync(bad, 'swagger: "2.0"\ninfo: {title: Old, version: "1"}\npaths: {}\n')
    const r = await emu.heroku(['applink:spec:validate', bad])
    expect(r.code, explain(r)).to.equal(2)
    expect(r.stdout).to.contain(`${bad}:1:1  error  this is a Swagger 2.0 document; AppLink takes OpenAPI 3.0`)
    expect(r.stdout).to.contain(`${bad}: 1 error, 0 warnings`)
  })

  it('salesforce:publish publishes the example spec to the Salesforce org', async () => {
    const r = await ok(['salesforce:publish', SPEC, '-a', APP, '-c', 'OrdersAPI', '--connection-name', 'sf_org', '--authorization-permission-set-name', 'Orders_Perms'])
    expect(r.stderr).to.match(new RegExp(`^Publishing ${SPEC.replaceAll('.', '\\.')} to sf_org as OrdersAPI\\.\\.\\. done\\n$`))
    expect(r.stdout).to.contain('Published orders-api.yaml to connection sf_org as OrdersAPI: 3 operations, 2 Agentforce actions in topic order_management.\n')
    expect(r.stdout).to.match(/POST\s+\/orders\/status\s+getOrderStatus\s+Agentforce action\n/)
  })

  it('salesforce:publications lists the publication', async () => {
    const r = await ok(['salesforce:publications', '-a', APP])
    expect(r.stdout).to.contain(`Heroku AppLink publications for app ${APP}`)
    expect(r.stdout).to.match(/sf_org\s+00D\w+\s+OrdersAPI\s+/)
    const list = await json<Array<{connection_name: string; esr_name?: string}>>(['salesforce:publications', '-a', APP, '--connection-name', 'sf_org'])
    expect(list).to.have.length(1)
    expect(list[0].connection_name).to.equal('sf_org')
  })

  it('salesforce:authorizations:remove and datacloud:authorizations:remove delete with --confirm', async () => {
    const sf = await ok(['salesforce:authorizations:remove', 'sf_auth', '-a', APP, '--confirm', 'sf_auth'])
    expect(sf.stderr).to.equal(`Removing Salesforce authorization sf_auth from ${APP}... done\n`)
    const dc = await ok(['datacloud:authorizations:remove', 'dc_auth', '-a', APP, '--confirm', 'dc_auth'])
    expect(dc.stderr).to.equal(`Removing Data Cloud authorization dc_auth from ${APP}... done\n`)
    const left = await json<Array<{org: {developer_name: string}}>>(['applink:authorizations', '-a', APP])
    expect(left.map(a => a.org.developer_name).sort()).to.deep.equal(['dc_jwt_auth', 'sf_jwt_auth'])
  })

  it('salesforce:authorizations:remove without --confirm and without a TTY refuses with exit 2', async () => {
    const r = await ok(['salesforce:authorizations:remove', 'sf_jwt_auth', '-a', APP], 2)
    expect(r.stderr).to.contain('--confirm sf_jwt_auth')
  })

  it('datacloud:disconnect warns about the data action target, then disconnects with --confirm', async () => {
    const r = await ok(['datacloud:disconnect', 'dc_org', '-a', APP, '--confirm', 'dc_org'])
    expect(r.stderr).to.contain('Warning: disconnecting dc_org also deletes its data action target:\n  Order Events (Order_Events)\n')
    expect(r.stderr).to.contain(`Disconnecting Data Cloud connection dc_org from ${APP}... done\n`)
  })

  it('salesforce:disconnect disconnects with --confirm; the list no longer has it as connected', async () => {
    const r = await ok(['salesforce:disconnect', 'sf_org', '-a', APP, '--confirm', 'sf_org'])
    expect(r.stderr).to.equal(`Disconnecting Salesforce connection sf_org from ${APP}... done\n`)
    const list = await json<Array<{org: {connection_name: string}; status: string}>>(['applink:connections', '-a', APP])
    const connected = list.filter(c => c.status === 'connected').map(c => c.org.connection_name)
    expect(connected).to.deep.equal(['sf_jwt_org'])
  })
})
