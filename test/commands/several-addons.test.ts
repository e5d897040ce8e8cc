/**
 * On an app with several AppLink add-ons every command needs --addon, so every command we suggest
 * must carry it (src/lib/ui/hints.ts): each case here runs a command whose output names a next
 * command, and checks that command names the app and the add-on. With one add-on and no --addon
 * the same hints are pinned, without --addon, by each command's own tests.
 */
import {expect} from 'chai'
import nock from 'nock'
import {join} from 'node:path'

import {ADDON, APP, applinkApi, authorization, BASE, connection, localHerokuHost, platformApi, root, run} from '../helpers/applink.js'
import {ATTACHMENT, PG_ADDON, resolutionAnswers} from '../helpers/fixture.js'
import {asPipe} from '../helpers/terminal.js'

const OTHER = {addon_service: {name: 'heroku-applink'}, id: 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff', name: 'applink-sloped-67890'}
const KEY_FILE = join(root, 'test/fixtures/keys/test-rsa.key')
const SPEC = join(root, 'test/fixtures/specs/small.yaml')
const AT = `-a ${APP.name} --addon ${ADDON.name}`

/** The Platform API for APP with two AppLink add-ons (and Postgres); the commands pick ADDON. */
function twoAddons(sso = true): void {
  platformApi({
    sso,
    addons: [ADDON, OTHER, PG_ADDON],
    attachments: [ATTACHMENT, {addon: {id: OTHER.id, name: OTHER.name}, name: 'HEROKU_APPLINK_SLOPED'}],
  })
}

const notFound = {id: 'record_not_found', message: 'not found'}

describe('hints on an app with several AppLink add-ons', () => {
  asPipe()
  beforeEach(() => nock.disableNetConnect())
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })

  it('without --addon, nothing is sent to AppLink and the error says to choose one (exit 2)', async () => {
    twoAddons(false)
    const {exitCode, stderr} = await run(['applink:connections', '-a', APP.name])
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal(`Error: App ${APP.name} has 2 heroku-applink add-ons: ${ADDON.name}, ${OTHER.name}.\n  › Choose one with --addon NAME_OR_ID.\n`)
  })

  it('applink:connections:info: a missing connection names the list command with --addon', async () => {
    twoAddons()
    applinkApi().get(`${BASE}/connections/nope_org`).reply(404, notFound)
    const {exitCode, stderr} = await run(['applink:connections:info', 'nope_org', '-a', APP.name, '--addon', ADDON.name])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal(`Error: Connection nope_org was not found on app ${APP.name}.\n  › List the app's connections with: heroku applink:connections ${AT}\n`)
  })

  it('--addon by id: the hints name the add-on by its name', async () => {
    twoAddons()
    applinkApi().get(`${BASE}/authorizations/nope_auth`).reply(404, notFound)
    const {exitCode, stderr} = await run(['applink:authorizations:info', 'nope_auth', '-a', APP.name, '--addon', ADDON.id])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal(`Error: Authorization nope_auth was not found on app ${APP.name}.\n  › List the app's authorizations with: heroku applink:authorizations ${AT}\n`)
  })

  it('applink:connections:info: a failed connection names the reconnect command with --addon (OAuth and JWT)', async () => {
    twoAddons()
    applinkApi().get(`${BASE}/connections/my_org`).reply(200, connection({status: 'failed'}))
    const oauth = await run(['applink:connections:info', 'my_org', '-a', APP.name, '--addon', ADDON.name])
    expect(oauth.exitCode).to.equal(0)
    expect(oauth.stderr).to.equal(`Reconnect with: heroku salesforce:connect my_org ${AT}\n`)
    twoAddons()
    applinkApi().get(`${BASE}/connections/my_org`).reply(200, connection({connection_method: 'JWT', status: 'failed'}))
    const jwt = await run(['applink:connections:info', 'my_org', '-a', APP.name, '--addon', ADDON.name])
    expect(jwt.stderr).to.equal(`Reconnect with: heroku salesforce:connect:jwt my_org ${AT} --client-id CONSUMER_KEY --jwt-key-file server.key --username USER\n`)
  })

  it('applink:authorizations:info: a failed JWT authorization names the command that adds it again, with --addon', async () => {
    twoAddons()
    applinkApi().get(`${BASE}/authorizations/my_auth`).reply(200, authorization({connection_method: 'JWT', org: {developer_name: 'my_auth', type: 'DataCloudOrg'}, status: 'failed'}))
    const {stderr} = await run(['applink:authorizations:info', 'my_auth', '-a', APP.name, '--addon', ADDON.name])
    expect(stderr).to.equal(`Add it again with: heroku datacloud:authorizations:jwt:add my_auth ${AT} --client-id CONSUMER_KEY --jwt-key-file server.key --username USER\n`)
  })

  it('salesforce:disconnect without a terminal: the command to run again keeps --addon (nothing sent)', async () => {
    const {exitCode, stderr} = await run(['salesforce:disconnect', 'my_org', '-a', APP.name, '--addon', ADDON.name])
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain(`  › Run again with: heroku salesforce:disconnect my_org ${AT} --confirm my_org\n`)
  })

  it('datacloud:authorizations:remove: a Salesforce authorization is refused, naming salesforce:authorizations:remove with --addon', async () => {
    twoAddons()
    applinkApi().get(`${BASE}/authorizations/my_auth`).reply(200, authorization())
    const {exitCode, stderr} = await run(['datacloud:authorizations:remove', 'my_auth', '-a', APP.name, '--addon', ADDON.name, '--confirm', 'my_auth'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain(`  › To remove it, run: heroku salesforce:authorizations:remove my_auth ${AT}\n`)
  })

  it('salesforce:connect:jwt: a connection still connecting names the info command with --addon', async () => {
    twoAddons()
    applinkApi().post(`${BASE}/connections/salesforce/jwt`).reply(201, connection({connection_method: 'JWT', status: 'connecting'}))
    const {exitCode, stderr} = await run(['salesforce:connect:jwt', 'my_org', '-a', APP.name, '--addon', ADDON.name, '--client-id', '3MVG9.consumer', '--jwt-key-file', KEY_FILE, '--username', 'api@my-org.example'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain(`Check its status with: heroku applink:connections:info my_org ${AT}\n`)
  })

  it('salesforce:authorizations:jwt:add: an ambiguous failure names the info command with --addon', async () => {
    twoAddons()
    applinkApi().post(`${BASE}/authorizations/salesforce/jwt`).reply(500, {id: 'internal', message: 'boom'})
    applinkApi().get(`${BASE}/authorizations/my_auth`).times(3).reply(503, {id: 'unavailable', message: 'down'})
    const {exitCode, stderr} = await run(['salesforce:authorizations:jwt:add', 'my_auth', '-a', APP.name, '--addon', ADDON.name, '--client-id', '3MVG9.consumer', '--jwt-key-file', KEY_FILE, '--username', 'api@my-org.example'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain(`  › Check with: heroku applink:authorizations:info my_auth ${AT}\n`)
  })

  it('salesforce:publications: a disconnected connection names the reconnect command; an empty app the connect command', async () => {
    twoAddons()
    applinkApi().get(`${BASE}/connections/my_org`).reply(200, connection({status: 'disconnected'}))
    const refused = await run(['salesforce:publications', '-a', APP.name, '--addon', ADDON.name, '--connection-name', 'my_org'])
    expect(refused.exitCode).to.equal(1)
    expect(refused.stderr).to.contain(`  › Reconnect with: heroku salesforce:connect my_org ${AT}\n`)
    twoAddons()
    applinkApi().get(`${BASE}/connections`).reply(200, [])
    const empty = await run(['salesforce:publications', '-a', APP.name, '--addon', ADDON.name])
    expect(empty.stdout).to.contain(`Connect one with: heroku salesforce:connect NAME ${AT}\n`)
  })

  it('salesforce:publish: a refused name points at salesforce:publications with --addon', async () => {
    twoAddons()
    applinkApi().post(`${BASE}/connections/salesforce/my_org/apps`).reply(409, {id: 'conflict', message: 'taken'})
    const {exitCode, stderr} = await run(['salesforce:publish', SPEC, '-c', 'OrdersAPI', '--connection-name', 'my_org', '-a', APP.name, '--addon', ADDON.name])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain(`see what is published to my_org with: heroku salesforce:publications ${AT} --connection-name my_org\n`)
  })

  it('datacloud:data-action-target:create: a missing connection names the list command with --addon', async () => {
    twoAddons()
    applinkApi().post(`${BASE}/connections/datacloud/dc_org/data_action_targets`).reply(404, notFound)
    const {exitCode, stderr} = await run(['datacloud:data-action-target:create', 'Order_Events', '-a', APP.name, '--addon', ADDON.name, '-o', 'dc_org', '-p', '/'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain(`  › List the app's connections with: heroku applink:connections ${AT}\n`)
  })

  it('applink:invoke: an authorization that cannot invoke names info and re-authorize with --addon (nothing sent to the app)', async () => {
    twoAddons()
    applinkApi().get(`${BASE}/authorizations/my_auth`).reply(200, authorization({status: 'failed'}))
    const {exitCode, stderr} = await run(['applink:invoke', 'listAccounts', '-a', APP.name, '--addon', ADDON.name, '--authorization', 'my_auth', '--spec', join(root, 'test/fixtures/invoke/api-spec.yaml'), '--url', 'http://127.0.0.1:9'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain(`  › Check it with: heroku applink:authorizations:info my_auth ${AT}\n  › Re-authorize with: heroku salesforce:authorizations:add my_auth ${AT}\n`)
  })

  it('applink:invoke --mesh against the hosted service: the command to invoke without the mesh names --addon', async () => {
    twoAddons()
    const {exitCode, stderr} = await run(['applink:invoke', 'listAccounts', '--mesh', '-a', APP.name, '--addon', ADDON.name, '--authorization', 'my_auth', '--spec', join(root, 'test/fixtures/invoke/api-spec.yaml'), '--url', 'http://127.0.0.1:9'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain(`  › Invoke the app itself, without the mesh: heroku applink:invoke OPERATION ${AT} --authorization NAME (the app on http://127.0.0.1:$APP_PORT)\n`)
  })

  describe('on the emulator (HEROKU_HOST on this machine)', () => {
    const host = localHerokuHost()
    it('applink:events:trigger: an app not listening names the --resend command with --addon', async () => {
    const emulator = 'http://127.0.0.1:5050'
    platformApi({
      addons: [ADDON, OTHER, PG_ADDON],
      attachments: [ATTACHMENT, {addon: {id: OTHER.id, name: OTHER.name}, name: 'HEROKU_APPLINK_SLOPED'}],
      config: resolutionAnswers(`${emulator}${BASE}`).configVars,
      origin: host.url,
    })
    const uuid = '5b0e7a40-2a53-4c1e-9f57-0b6a1d3f8e21'
    applinkApi(emulator).post(`${BASE}/data_action_targets/My_Target/events`, {}).reply(200, {api_name: 'My_Target', connection_name: 'dc_org', event_uuid: uuid, kind: 'new', org_id: '00D000000000001EAA', path: '/h', payload: '{}', replay_id: 100, signature: 'c2ln'})
    // port 9 (discard): nothing listens there
    nock.enableNetConnect('127.0.0.1:9')
    const {exitCode, stderr} = await run(['applink:events:trigger', 'My_Target', '-a', APP.name, '--addon', ADDON.name, '--url', 'http://127.0.0.1:9'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain(`  › Send the same event again once the app is up: heroku applink:events:trigger My_Target ${AT} --resend ${uuid}\n`)
    })
  })
})
