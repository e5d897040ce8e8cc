import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import type {Emulator} from '../../src/emulator/server/server.js'
import {STORE_FILE} from '../../src/emulator/store/store.js'
import {AppLinkClient} from '../../src/lib/api/applink-client.js'
import {AppLinkError} from '../../src/lib/api/errors.js'
import type {Authorization} from '../../src/lib/api/types.js'
import {answerLogin, applink, eachWithApp, platform, provision, type Provisioned, request, start, testKeys, waitFor} from './helpers.js'

/** The plugin's own client, bound to the provisioned add-on: the emulator must speak its contract. */
function clientFor(p: Provisioned): AppLinkClient {
  return new AppLinkClient({addonId: p.addon.id, apiUrl: p.apiUrl, appId: p.app.id, retries: 0, sso: p.sso, token: p.token, userAgent: 'heroku-plugin-applink-plus/0.1.0 test'})
}

async function failure(promise: Promise<unknown>): Promise<AppLinkError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof AppLinkError) return error
    throw error
  }

  throw new Error('expected the request to fail')
}

describe('emulator: AppLink API', () => {
  let emu: Emulator
  let p: Provisioned
  let client: AppLinkClient
  let keys: {ec: string; rsa: string}
  before(async () => {
    keys = await testKeys()
  })
  eachWithApp((e, app) => {
    emu = e
    p = app
    client = clientFor(p)
  })

  describe('OAuth connections', () => {
    it('creates a connecting record whose redirect_uri is a login form; Allow connects it', async () => {
      const created = await client.createConnection('salesforce', {connection_name: 'my_org'})
      expect(created).to.deep.include({addon_id: p.addon.id, app_id: p.app.id, connection_method: 'OAuth', status: 'connecting'})
      expect(created.org).to.deep.equal({connection_name: 'my_org', type: 'SalesforceOrg'})
      expect(created.created_via_app).to.equal('my-app')
      expect(created.redirect_uri).to.match(new RegExp(`^${emu.url}/oauth/login\\?state=[0-9a-f]{32}$`))

      const page = await request(created.redirect_uri!)
      expect(page.status).to.equal(200)
      expect(page.headers.get('content-type')).to.equal('text/html; charset=utf-8')
      for (const id of ['login-form', 'username', 'login_as', 'org_type', 'allow', 'deny']) expect(page.text).to.contain(`id="${id}"`)
      expect(page.text).to.contain('<option value="sandbox">Sandbox</option>')
      // the one default admin user, whatever the connection is called
      expect(page.text).to.contain('value="admin@emulated-org.example"')

      const result = await answerLogin(created.redirect_uri!, {decision: 'allow', org_type: 'production', username: 'ceo@acme.example'})
      expect(result.status).to.equal(200)
      expect(result.text).to.contain('<main id="result" data-status="connected"')
      const got = await client.getConnection('my_org')
      expect(got.status).to.equal('connected')
      expect(got).to.not.have.property('redirect_uri')
      expect(got.org).to.deep.include({connection_name: 'my_org', instance_url: emu.url, type: 'SalesforceOrg', username: 'ceo@acme.example'})
      expect(got.org.id).to.match(/^00D[0-9A-Za-z]{15}$/)
      expect(got.org.user_id).to.match(/^005[0-9A-Za-z]{15}$/)
      expect(await client.getConnection(created.id)).to.deep.equal(got)
      expect(await client.listConnections()).to.deep.equal([got])
      // the link is used up
      const again = await request(created.redirect_uri!)
      expect(again.status).to.equal(404)
      expect(again.headers.get('content-type')).to.equal('text/html; charset=utf-8')
      expect(again.text).to.contain('<h1 class="failed">This login link is not valid</h1>')
      expect(again.text).to.contain('Each link works once')
    })

    it('Deny fails the connection with an error; a sandbox login gets a sandbox instance', async () => {
      const denied = await client.createConnection('salesforce', {connection_name: 'no_org'})
      const result = await answerLogin(denied.redirect_uri!, {decision: 'deny'})
      expect(result.text).to.contain('data-status="failed"')
      expect(result.text).to.contain('<p>The connection no_org was not made: the Salesforce user denied access (OAuth error access_denied: end-user denied authorization).</p>')
      expect(result.text).not.to.contain('is failed')
      const failed = await client.getConnection('no_org')
      expect(failed.status).to.equal('failed')
      expect(failed.error).to.deep.equal({id: 'org_connection_failed', message: 'The Salesforce user denied access (OAuth error access_denied: end-user denied authorization).'})

      const sandbox = await client.createConnection('salesforce', {connection_name: 'sb_org', login_url: 'https://test.salesforce.com'})
      const page = await request(sandbox.redirect_uri!)
      expect(page.text).to.contain('<option value="sandbox" selected>')
      await answerLogin(sandbox.redirect_uri!, {decision: 'allow', org_type: 'sandbox', username: ''})
      const sb = (await client.getConnection('sb_org')).org
      expect(sb).to.deep.include({instance_url: emu.url, username: 'admin@emulated-org.example'})
      // the org it started is a sandbox (the instance_url answered is the emulator's own)
      expect(emu.store.data.orgs.map(o => [o.id, o.edition, o.instance_url])).to.deep.equal([[sb.id, 'sandbox', 'https://emulated-org--sandbox.sandbox.my.salesforce.com']])
    })

    it('makes Data Cloud connections of type DataCloudOrg', async () => {
      const created = await client.createConnection('datacloud', {connection_name: 'dc_org'})
      expect(created.org.type).to.equal('DataCloudOrg')
      await answerLogin(created.redirect_uri!, {decision: 'allow'})
      expect((await client.getConnection('dc_org')).status).to.equal('connected')
    })

    it('auto-approves logins about a second after they start with --auto-approve', async () => {
      await emu.close()
      // long enough that the approval cannot land before the POST has answered, on a loaded machine
      emu = await start({autoApprove: true, autoApproveMs: 1500, dataDir: emu.dataDir})
      client = clientFor({...p, apiUrl: `${emu.url}/addons/${p.addon.id}`})
      const created = await client.createConnection('salesforce', {connection_name: 'auto_org'})
      expect(created.status).to.equal('connecting')
      const done = await waitFor(async () => {
        const c = await client.getConnection('auto_org')
        return c.status === 'connecting' ? undefined : c
      }, 'auto-approval', 30_000)
      expect(done.status).to.equal('connected')
      expect(done.org).to.deep.include({instance_url: emu.url, username: 'admin@emulated-org.example'})
    })

    it('refuses a second live connection of the same name, but reconnects a failed one in place', async () => {
      const first = await client.createConnection('salesforce', {connection_name: 'my_org'})
      const dup = await failure(client.createConnection('datacloud', {connection_name: 'my_org'}))
      expect(dup).to.include({id: 'conflict', status: 409})
      expect(dup.message).to.equal('A connection named my_org already exists on this add-on (status connecting). Remove it first, or choose another name.')
      await answerLogin(first.redirect_uri!, {decision: 'deny'})
      const retry = await client.createConnection('salesforce', {connection_name: 'my_org'})
      expect(retry.id).to.equal(first.id)
      expect(retry.status).to.equal('connecting')
      expect(retry).to.not.have.property('error')
      expect(await client.listConnections()).to.have.length(1)
    })

    it('applies the name rules and says which one is broken', async () => {
      for (const [name, problem] of [['ab', 'it has 2 characters; use 3 to 30'], ['1org', 'it must start with a letter'], ['my__org', 'it contains two underscores in a row; use single underscores'], ['my-org', 'it contains "-"; use only letters, digits and underscores'], ['org_', 'it must end with a letter or a digit']]) {
        const res = await applink(emu, p, 'POST', '/connections/salesforce', {connection_name: name})
        expect(res.status, name).to.equal(400)
        expect(res.body.id).to.equal('invalid_params')
        expect(res.body.message, name).to.contain(`Invalid connection_name ${JSON.stringify(name)}: ${problem}.`)
      }

      expect((await applink(emu, p, 'GET', '/connections')).body).to.deep.equal([])
    })

    it('disconnects: DELETE answers disconnecting and the record is gone', async () => {
      const created = await client.createConnection('salesforce', {connection_name: 'my_org'})
      await answerLogin(created.redirect_uri!, {decision: 'allow'})
      const deleted = await client.deleteConnection('my_org')
      expect(deleted.status).to.equal('disconnecting')
      expect(deleted.org.connection_name).to.equal('my_org')
      const gone = await failure(client.getConnection('my_org'))
      expect(gone).to.include({id: 'record_not_found', status: 404})
      expect(gone.message).to.equal('Couldn\'t find a connection named or with id "my_org" on this add-on.')
      expect((await failure(client.deleteConnection('my_org'))).id).to.equal('record_not_found')
    })
  })

  describe('JWT', () => {
    it('connects with an RSA private key, and fails the record with authentication_failed otherwise', async () => {
      const ok = await client.createJwtConnection({alias: 'a1', client_id: 'client-1', connection_name: 'jwt_org', jwt_private_key: keys.rsa, login_url: 'https://login.salesforce.com', username: 'bot@acme.example'})
      expect(ok).to.deep.include({addon_id: p.addon.id, app_id: p.app.id, connection_method: 'JWT', status: 'connected'})
      expect(ok.org).to.deep.include({connection_name: 'jwt_org', instance_url: emu.url, type: 'SalesforceOrg', username: 'bot@acme.example'})
      for (const key of [keys.ec, 'not a key', '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n']) {
        const bad = await client.createJwtConnection({client_id: 'client-1', connection_name: 'bad_jwt', jwt_private_key: key, username: 'bot@acme.example'})
        expect(bad.status).to.equal('failed')
        expect(bad.error).to.deep.equal({id: 'authentication_failed', message: 'JWT bearer authentication failed: jwt_private_key is not an RSA private key in PEM format.'})
      }

      // the key is never stored: no line of any key sent, armour or body, in memory or in data.json
      const stored = {file: readFileSync(join(emu.dataDir, STORE_FILE), 'utf8'), memory: JSON.stringify(emu.store.data)}
      const lines = [keys.rsa, keys.ec].flatMap(k => k.split('\n')).filter(line => line.length >= 16)
      expect(lines.length).to.be.above(10)
      for (const [where, text] of Object.entries(stored)) {
        for (const [i, line] of lines.entries()) expect(text.includes(line), `${where} holds line ${i + 1} of a key`).to.equal(false)
      }
    })

    it('adds JWT authorizations that carry an org access token for the app', async () => {
      const auth = await client.createJwtAuthorization('salesforce', {alias: 'applink:my_auth', client_id: 'c', developer_name: 'my_auth', jwt_private_key: keys.rsa, username: 'int@acme.example'})
      expect(auth).to.deep.include({app_name: 'my-app', connection_method: 'JWT', status: 'authorized'})
      expect(auth.org).to.not.have.property('user_auth')
      // the raw resource (the typed client drops the token so the CLI can never print it)
      const one = await client.request<Authorization>('GET', `/addons/${p.addon.id}/authorizations/my_auth`)
      expect((await client.getAuthorization('my_auth')).org.user_auth).to.not.have.property('access_token')
      expect(one.org.user_auth!.access_token).to.match(new RegExp(`^${one.org.id}![0-9a-f]{60}$`))
      expect(one.org.api_version).to.equal('62.0')
      // found by alias too (the SDK's developer_name_or_alias)
      expect((await client.getAuthorization('applink:my_auth')).id).to.equal(auth.id)
      const dc = await client.createJwtAuthorization('datacloud', {client_id: 'c', developer_name: 'dc_auth', jwt_private_key: keys.ec, username: 'int@acme.example'})
      expect(dc.status).to.equal('failed')
      expect(dc.org.type).to.equal('DataCloudOrg')
    })
  })

  describe('OAuth authorizations', () => {
    it('authorizing → authorized through the login form; lists hide the access token; remove deletes', async () => {
      const created = await client.createAuthorization('salesforce', {developer_name: 'my_auth', login_url: 'https://login.salesforce.com'})
      expect(created).to.deep.include({app_name: 'my-app', connection_method: 'OAuth', status: 'authorizing'})
      expect(created.org).to.deep.equal({api_version: '62.0', developer_name: 'my_auth', type: 'SalesforceOrg'})
      expect(created.redirect_uri).to.match(/\/oauth\/login\?state=/)
      const page = await request(created.redirect_uri!)
      expect(page.text).to.contain('add the Salesforce org authorization')
      await answerLogin(created.redirect_uri!, {decision: 'allow', username: 'user@acme.example'})
      const list = await client.listAuthorizations()
      expect(list).to.have.length(1)
      expect(list[0].status).to.equal('authorized')
      expect(list[0].org).to.not.have.property('user_auth')
      const one = await client.getAuthorization(created.id)
      expect(one.org.user_auth).to.deep.include({user_id: one.org.user_id, username: 'user@acme.example'})

      const removed = await client.deleteAuthorization('my_auth')
      expect(removed.status).to.equal('disconnected')
      expect(await client.listAuthorizations()).to.deep.equal([])
      expect((await failure(client.getAuthorization('my_auth'))).status).to.equal(404)
    })

    it('Deny fails a Data Cloud authorization with an error', async () => {
      const created = await client.createAuthorization('datacloud', {developer_name: 'dc_auth'})
      await answerLogin(created.redirect_uri!, {decision: 'deny'})
      const got = await client.getAuthorization('dc_auth')
      expect(got.status).to.equal('failed')
      expect(got.error!.id).to.equal('authentication_failed')
      expect(got.org).to.not.have.property('user_auth')
    })
  })

  describe('data action targets', () => {
    it('goes pending → created on a connected Data Cloud org; listed and fetched by API name', async () => {
      await emu.close()
      emu = await start({dataActionTargetMs: 100, dataDir: emu.dataDir})
      client = clientFor({...p, apiUrl: `${emu.url}/addons/${p.addon.id}`})
      const conn = await client.createConnection('datacloud', {connection_name: 'dc_org'})
      await answerLogin(conn.redirect_uri!, {decision: 'allow'})
      const created = await client.createDataActionTarget('dc_org', {api_name: 'My_Target', label: 'My Target', target_endpoint: '/handle', type: 'webhook'})
      expect(created).to.deep.include({api_name: 'My_Target', label: 'My Target', status: 'pending', target_endpoint: '/handle', type: 'webhook'})
      expect(created.heroku_app).to.deep.equal({id: p.app.id, name: 'my-app', url: 'https://my-app.emulator.local/'})
      const done = await waitFor(async () => {
        const t = await client.getDataActionTarget('dc_org', 'My_Target')
        return t.status === 'created' ? t : undefined
      }, 'the target to be created')
      expect(done.org).to.deep.include({connection_name: 'dc_org', type: 'DataCloudOrg'})
      expect((await client.listDataActionTargets('dc_org')).map(t => t.api_name)).to.deep.equal(['My_Target'])
      const dup = await failure(client.createDataActionTarget('dc_org', {api_name: 'My_Target', label: 'x', target_endpoint: '/x', type: 'webhook'}))
      expect(dup).to.include({id: 'conflict', status: 409})
      // disconnecting the org removes its targets
      await client.deleteConnection('dc_org')
      expect(emu.store.data.data_action_targets).to.deep.equal([])
    })

    it('needs a connected Data Cloud connection and valid fields', async () => {
      const sf = await client.createConnection('salesforce', {connection_name: 'sf_org'})
      await answerLogin(sf.redirect_uri!, {decision: 'allow'})
      const body = {api_name: 'T1_x', label: 'T', target_endpoint: '/x', type: 'webhook'}
      expect((await applink(emu, p, 'POST', '/connections/datacloud/sf_org/data_action_targets', body)).body.message).to.equal('sf_org is a Salesforce org connection; this needs a Data Cloud org connection.')
      await client.createConnection('datacloud', {connection_name: 'dc_org'})
      const pending = await applink(emu, p, 'POST', '/connections/datacloud/dc_org/data_action_targets', body)
      expect(pending.status).to.equal(409)
      expect(pending.body.message).to.equal('The connection dc_org is connecting, not connected.')
      expect((await applink(emu, p, 'POST', '/connections/datacloud/nope/data_action_targets', body)).status).to.equal(404)
      expect((await applink(emu, p, 'GET', '/connections/datacloud/sf_org/data_action_targets')).body.id).to.equal('record_not_found')
      const badType = await applink(emu, p, 'POST', '/connections/datacloud/dc_org/data_action_targets', {...body, type: 'email'})
      expect(badType.body).to.deep.equal({id: 'invalid_params', message: 'type "email" is not supported: use webhook.'})
      const badEndpoint = await applink(emu, p, 'POST', '/connections/datacloud/dc_org/data_action_targets', {...body, target_endpoint: 'handle'})
      expect(badEndpoint.status).to.equal(400)
    })
  })

  describe('credentials', () => {
    it('401 without or with a wrong token, and each add-on sees only its own records (404 for another\'s)', async () => {
      const none = await applink(emu, p, 'GET', '/connections', undefined, {authorization: ''})
      expect(none.status).to.equal(401)
      expect(none.body).to.deep.equal({id: 'unauthorized', message: 'No credentials provided: send the add-on\'s token as "Authorization: Bearer TOKEN".'})
      const wrong = await applink(emu, p, 'GET', '/connections', undefined, {authorization: 'Bearer nope'})
      expect(wrong.status).to.equal(401)
      expect(wrong.body.id).to.equal('unauthorized')
      // the Heroku API key is not an AppLink token
      expect((await applink(emu, p, 'GET', '/connections', undefined, {authorization: `Bearer ${emu.apiKey}`})).status).to.equal(401)

      const q = await provision(emu, 'second-app')
      const mine = await client.createConnection('salesforce', {connection_name: 'my_org'})
      // q's token on p's add-on path: refused
      expect((await applink(emu, p, 'GET', '/connections', undefined, {authorization: `Bearer ${q.token}`, 'x-app-uuid': q.app.id})).status).to.equal(401)
      // q's own add-on does not see p's record, by name or id
      const other = clientFor(q)
      expect(await other.listConnections()).to.deep.equal([])
      expect((await failure(other.getConnection('my_org'))).status).to.equal(404)
      expect((await failure(other.getConnection(mine.id))).status).to.equal(404)
      expect((await failure(other.deleteConnection(mine.id))).id).to.equal('record_not_found')
      expect((await client.getConnection(mine.id)).id).to.equal(mine.id)
    })

    it('needs x-app-uuid of an attached app, and checks x-addon-sso when sent', async () => {
      const missing = await applink(emu, p, 'GET', '/connections', undefined, {'x-app-uuid': ''})
      expect(missing.status).to.equal(400)
      expect(missing.body.message).to.contain('x-app-uuid header is required')
      const q = await provision(emu, 'second-app')
      const foreign = await applink(emu, p, 'GET', '/connections', undefined, {'x-app-uuid': q.app.id})
      expect(foreign.status).to.equal(403)
      expect(foreign.body).to.deep.equal({id: 'forbidden', message: `The app in x-app-uuid (${q.app.id}) is not attached to this add-on.`})
      // attaching the add-on to the second app lets that app in
      await platform(emu, 'POST', '/addon-attachments', {addon: {id: p.addon.id}, app: {name: 'second-app'}, name: 'APPLINK_P'})
      expect((await applink(emu, p, 'GET', '/connections', undefined, {'x-app-uuid': q.app.id})).status).to.equal(200)
      const forged = await applink(emu, p, 'GET', '/connections', undefined, {'x-addon-sso': q.sso})
      expect(forged.status).to.equal(403)
      expect(forged.body.message).to.contain('x-addon-sso')
      expect((await applink(emu, p, 'GET', '/connections', undefined, {'x-addon-sso': 'bm90IGpzb24='})).status).to.equal(403)
    })
  })
})
