/**
 * Connections and authorizations share one create handler and one delete handler in the emulator
 * (src/emulator/applink/links.ts). These pin, answer by answer, the branches where the two resources and
 * the two methods (OAuth, JWT) differ: the org kind in the path, a key that is not RSA, a failed
 * record replaced under the same name, the alias rule of authorizations, and what DELETE answers.
 */
import {expect} from 'chai'

import type {Emulator} from '../../src/emulator/server/server.js'
import {answerLogin, applink, eachWithApp, type Provisioned, request, testKeys} from './helpers.js'

/** An answer with the values that change each run (ids, times, login state) replaced by their kind. */
function shape(body: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {...body}
  for (const key of ['created_at', 'last_modified_at']) if (typeof out[key] === 'string') out[key] = 'TIME'
  for (const key of ['id', 'addon_id', 'app_id']) if (typeof out[key] === 'string') out[key] = key.toUpperCase()
  if (typeof out.redirect_uri === 'string') out.redirect_uri = out.redirect_uri.replace(/state=[0-9a-f]{32}$/, 'state=STATE')
  if (out.org) {
    out.org = {...out.org}
    for (const key of ['id', 'user_id']) if (typeof out.org[key] === 'string') out.org[key] = out.org[key].slice(0, 3)
    if (out.org.user_auth) out.org.user_auth = {...out.org.user_auth, access_token: 'TOKEN', user_id: 'USER'}
  }

  return out
}

describe('emulator: connections and authorizations, one create and one delete', () => {
  let emu: Emulator
  let p: Provisioned
  let keys: {ec: string; rsa: string}
  before(async () => {
    keys = await testKeys()
  })
  eachWithApp((e, app) => {
    emu = e
    p = app
  })

  it('refuses an unknown org kind with 404 before it looks at the credentials', async () => {
    for (const path of ['/connections/marketing', '/authorizations/marketing', '/authorizations/marketing/jwt']) {
      const r = await request(`${emu.url}/addons/${p.addon.id}${path}`, {body: '{}', headers: {'content-type': 'application/json'}, method: 'POST'})
      expect({body: r.body, status: r.status}, path).to.deep.equal({body: {id: 'not_found', message: 'Unknown org kind "marketing": use salesforce or datacloud.'}, status: 404})
    }
  })

  it('records a JWT connection with a key that is not RSA as failed, and an OAuth create of that name replaces it', async () => {
    const jwt = {alias: 'a1', client_id: 'client-1', connection_name: 'jwt_org', jwt_private_key: keys.ec, username: 'bot@acme.example'}
    const failed = await applink(emu, p, 'POST', '/connections/salesforce/jwt', jwt)
    expect(failed.status).to.equal(201)
    expect(shape(failed.body)).to.deep.equal({
      addon_id: 'ADDON_ID', app_id: 'APP_ID', connection_method: 'JWT', created_at: 'TIME', created_by: 'developer@emulator.local', created_via_app: 'my-app',
      error: {id: 'authentication_failed', message: 'JWT bearer authentication failed: jwt_private_key is not an RSA private key in PEM format.'},
      id: 'ID', last_modified_at: 'TIME', last_modified_by: 'developer@emulator.local',
      org: {connection_name: 'jwt_org', type: 'SalesforceOrg', username: 'bot@acme.example'}, status: 'failed',
    })
    const again = await applink(emu, p, 'POST', '/connections/datacloud', {connection_name: 'jwt_org'})
    expect(again.status).to.equal(202)
    expect(again.body.id).to.equal(failed.body.id)
    expect(shape(again.body)).to.deep.equal({
      addon_id: 'ADDON_ID', app_id: 'APP_ID', connection_method: 'OAuth', created_at: 'TIME', created_by: 'developer@emulator.local', created_via_app: 'my-app',
      id: 'ID', last_modified_at: 'TIME', last_modified_by: 'developer@emulator.local',
      org: {connection_name: 'jwt_org', type: 'DataCloudOrg'}, redirect_uri: `${emu.url}/oauth/login?state=STATE`, status: 'connecting',
    })
  })

  it('connects a JWT connection with an RSA key at once, and DELETE answers it as disconnecting', async () => {
    const made = await applink(emu, p, 'POST', '/connections/salesforce/jwt', {client_id: 'c', connection_name: 'jwt_ok', jwt_private_key: keys.rsa, login_url: 'https://test.salesforce.com', username: 'bot@acme.example'})
    expect(made.status).to.equal(201)
    expect(shape(made.body).org).to.deep.equal({connection_name: 'jwt_ok', id: '00D', instance_url: emu.url, type: 'SalesforceOrg', user_id: '005', username: 'bot@acme.example'})
    expect(made.body.status).to.equal('connected')
    const gone = await applink(emu, p, 'DELETE', '/connections/jwt_ok')
    expect(gone.status).to.equal(200)
    expect({...shape(gone.body), org: undefined}).to.deep.equal({...shape(made.body), org: undefined, status: 'disconnecting'})
    expect((await applink(emu, p, 'GET', '/connections/jwt_ok')).status).to.equal(404)
  })

  it('keeps an authorization alias to one record of the add-on, and a failed one of the same name may take it again', async () => {
    const jwt = {alias: 'applink:first', client_id: 'c', developer_name: 'first', jwt_private_key: keys.rsa, username: 'int@acme.example'}
    const first = await applink(emu, p, 'POST', '/authorizations/datacloud/jwt', jwt)
    expect(first.status).to.equal(201)
    expect(shape(first.body)).to.deep.equal({
      addon_id: 'ADDON_ID', alias: 'applink:first', app_name: 'my-app', connection_method: 'JWT', created_at: 'TIME', created_by: 'developer@emulator.local', created_via_app: 'my-app',
      id: 'ID', last_modified_at: 'TIME', last_modified_by: 'developer@emulator.local',
      org: {api_version: '62.0', developer_name: 'first', id: '00D', instance_url: emu.url, type: 'DataCloudOrg', user_id: '005', username: 'int@acme.example'}, status: 'authorized',
    })
    const taken = await applink(emu, p, 'POST', '/authorizations/salesforce/jwt', {...jwt, developer_name: 'second'})
    expect({body: taken.body, status: taken.status}).to.deep.equal({body: {id: 'conflict', message: 'Another authorization on this add-on already has the alias applink:first.'}, status: 409})
    const busy = await applink(emu, p, 'POST', '/authorizations/salesforce', {developer_name: 'first'})
    expect({body: busy.body, status: busy.status}).to.deep.equal({body: {id: 'conflict', message: 'An authorization named first already exists on this add-on (status authorized). Remove it first, or choose another name.'}, status: 409})

    const bad = await applink(emu, p, 'POST', '/authorizations/salesforce/jwt', {...jwt, alias: 'applink:bad', developer_name: 'bad_key', jwt_private_key: keys.ec})
    expect(shape(bad.body)).to.deep.include({alias: 'applink:bad', status: 'failed'})
    expect(shape(bad.body).org).to.deep.equal({api_version: '62.0', developer_name: 'bad_key', type: 'SalesforceOrg', username: 'int@acme.example'})
    const retried = await applink(emu, p, 'POST', '/authorizations/salesforce', {developer_name: 'bad_key'})
    expect(retried.body.id).to.equal(bad.body.id)
    expect(shape(retried.body)).to.deep.equal({
      addon_id: 'ADDON_ID', app_name: 'my-app', connection_method: 'OAuth', created_at: 'TIME', created_by: 'developer@emulator.local', created_via_app: 'my-app',
      id: 'ID', last_modified_at: 'TIME', last_modified_by: 'developer@emulator.local',
      org: {api_version: '62.0', developer_name: 'bad_key', type: 'SalesforceOrg'}, redirect_uri: `${emu.url}/oauth/login?state=STATE`, status: 'authorizing',
    })
    const denied = await answerLogin(retried.body.redirect_uri, {decision: 'deny'})
    expect(denied.text).to.contain('data-status="failed"')
    const read = await applink(emu, p, 'GET', '/authorizations/bad_key')
    expect(read.body.error).to.deep.equal({id: 'authentication_failed', message: 'The Salesforce user denied access (OAuth error access_denied: end-user denied authorization).'})

    const gone = await applink(emu, p, 'DELETE', '/authorizations/applink:first')
    expect(gone.status).to.equal(200)
    expect(shape(gone.body)).to.deep.equal({...shape(first.body), status: 'disconnected'})
    expect((await applink(emu, p, 'GET', '/authorizations/first')).status).to.equal(404)
  })
})
