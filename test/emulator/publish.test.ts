import {expect} from 'chai'
import {zipSync} from 'fflate'
import {readFileSync} from 'node:fs'

import {PUBLISH_LIMITS} from '../../src/contract/limits.js'
import type {Emulator} from '../../src/emulator/server/server.js'
import {AppLinkClient} from '../../src/lib/api/applink-client.js'
import {answerLogin, applink, eachWithApp, type Provisioned, request} from './helpers.js'

const SPEC = readFileSync(new URL('fixtures/orders.yaml', import.meta.url))

/** A multipart body like salesforce:publish sends: a `metadata` zip and an `app_request` JSON part. */
async function multipart(zip: Uint8Array | string, appRequest: unknown = {client_name: 'OrdersAPI'}, parts: {appRequest?: boolean; metadata?: boolean} = {}): Promise<{body: Buffer; contentType: string}> {
  const form = new FormData()
  if (parts.metadata !== false) form.append('metadata', new Blob([typeof zip === 'string' ? zip : new Uint8Array(zip)], {type: 'application/zip'}), 'metadata.zip')
  if (parts.appRequest !== false) form.append('app_request', new Blob([typeof appRequest === 'string' ? appRequest : JSON.stringify(appRequest)], {type: 'application/json'}))
  const res = new Response(form)
  return {body: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type')!}
}

function zipOf(files: Record<string, string | Uint8Array>): Uint8Array {
  const entries: Record<string, Uint8Array> = {}
  for (const [name, content] of Object.entries(files)) entries[name] = typeof content === 'string' ? Buffer.from(content) : content
  return zipSync(entries)
}

describe('emulator: publishing', () => {
  let emu: Emulator
  let p: Provisioned
  let client: AppLinkClient
  eachWithApp(async (e, app) => {
    emu = e
    p = app
    client = new AppLinkClient({addonId: p.addon.id, apiUrl: p.apiUrl, appId: p.app.id, retries: 0, sso: p.sso, token: p.token})
    const conn = await client.createConnection('salesforce', {connection_name: 'my_org'})
    await answerLogin(conn.redirect_uri!, {decision: 'allow'})
  })

  const upload = async (zip: Uint8Array | string, appRequest?: unknown, parts?: {appRequest?: boolean; metadata?: boolean}, connection = 'my_org') => {
    const {body, contentType} = await multipart(zip, appRequest, parts)
    return applink(emu, p, 'POST', `/connections/salesforce/${connection}/apps`, body, {'content-type': contentType})
  }

  it('records an external service registration with its operations and Agentforce actions; publications list it', async () => {
    const org = await client.getConnection('my_org')
    const {body, contentType} = await multipart(zipOf({'api-spec.yaml': SPEC, 'permissionset-meta.xml': '<PermissionSet/>'}), {authorization_external_client_app_name: 'Orders_App', client_name: 'OrdersAPI'})
    const published = await client.publish('my_org', {body, contentType}) as Record<string, unknown>
    expect(published).to.deep.include({
      agent_actions: ['getOrder'],
      app_uuid: p.app.id,
      authorization_external_client_app_name: 'Orders_App',
      client_name: 'OrdersAPI',
      connection_name: 'my_org',
      esr_name: 'OrdersAPI',
      files: ['api-spec.yaml', 'permissionset-meta.xml'],
      heroku_applink_id: p.addon.id,
      org_id: org.org.id,
      spec_title: 'Orders API',
      spec_version: '1.0.0',
      topic: 'order_help',
    })
    expect(published.esr_id).to.match(/^0Rt[0-9A-Za-z]{15}$/)
    expect(published.operations).to.deep.equal([
      {agent_action: false, description: 'Lists the orders.', method: 'GET', operation_id: 'listOrders', path: '/orders'},
      {agent_action: true, description: 'Finds one order by its number.', method: 'POST', operation_id: 'getOrder', path: '/orders/{number}/lookup'},
    ])
    expect(await client.listPublications('my_org')).to.deep.equal([published])

    // publishing the same client name again updates the registration in place
    const again = await client.publish('my_org', await multipart(zipOf({'api-spec.yaml': SPEC}))) as Record<string, unknown>
    expect(again.esr_id).to.equal(published.esr_id)
    expect(again.files).to.deep.equal(['api-spec.yaml'])
    expect(await client.listPublications('my_org')).to.have.length(1)
    const dashboard = await request(`${emu.url}/`)
    expect(dashboard.text).to.match(/<td class="name">OrdersAPI<\/td><td class="connection">my_org<\/td>/)
    expect(dashboard.text).to.contain('<td class="agent-actions">getOrder</td>')
  })

  it('refuses a spec that fails the checks, with its diagnostics', async () => {
    const broken = SPEC.toString().replace('operationId: listOrders', 'operationId: getOrder')
    const res = await upload(zipOf({'api-spec.yaml': broken}))
    expect(res.status).to.equal(400)
    expect(res.body.id).to.equal('invalid_spec')
    expect(res.body.message).to.match(/^The API spec api-spec.yaml has 1 error: api-spec.yaml:\d+:\d+ /)
    expect(res.body.diagnostics[0]).to.include({severity: 'error'})
    const swagger = await upload(zipOf({'api-spec.json': JSON.stringify({info: {title: 't', version: '1'}, paths: {}, swagger: '2.0'})}))
    expect(swagger.status).to.equal(400)
    expect(swagger.body.message).to.contain('api-spec.json')
    expect(await client.listPublications('my_org')).to.deep.equal([])
  })

  const bad: Array<[string, () => Promise<{body: any; status: number}>, number, string]> = [
    ['not a zip', () => upload('just text'), 400, 'The metadata part is not a zip file.'],
    ['a damaged zip', () => upload(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(40, 7)])), 400, 'The metadata part is not a valid zip'],
    ['no spec in the zip', () => upload(zipOf({'permissionset-meta.xml': '<x/>'})), 400, 'The metadata zip has no API spec: add api-spec.json or api-spec.yaml.'],
    ['two specs', () => upload(zipOf({'api-spec.json': '{}', 'api-spec.yaml': SPEC})), 400, 'The metadata zip has 2 API specs (api-spec.json, api-spec.yaml); send exactly one.'],
    ['an unexpected file', () => upload(zipOf({'api-spec.yaml': SPEC, 'notes.txt': 'hi'})), 400, 'The metadata zip holds unexpected files: notes.txt.'],
    ['a ../ entry', () => upload(zipOf({'../api-spec.yaml': SPEC})), 400, 'The metadata zip entry "../api-spec.yaml" climbs out of the archive with ..'],
    ['a nested ../ entry', () => upload(zipOf({'a/../../x': 'x', 'api-spec.yaml': SPEC})), 400, 'climbs out of the archive'],
    ['an absolute entry', () => upload(zipOf({'/etc/api-spec.yaml': SPEC})), 400, 'The metadata zip entry "/etc/api-spec.yaml" is an absolute path.'],
    ['too many entries', () => upload(zipOf(Object.fromEntries([['api-spec.yaml', SPEC], ...Array.from({length: 10}, (_, i) => [`f${i}.xml`, 'x'])]))), 400, 'The metadata zip has more than 10 entries.'],
    ['an oversized entry', () => upload(zipOf({'api-spec.yaml': SPEC, 'permissionset-meta.xml': new Uint8Array(PUBLISH_LIMITS.zipBytes)})), 413, 'The metadata zip holds more than 20,000,000 bytes (20.0 MB) uncompressed (entry "permissionset-meta.xml" passes the limit).'],
    ['a spec over its limit', () => upload(zipOf({'api-spec.yaml': new Uint8Array(PUBLISH_LIMITS.yamlBytes + 1).fill(0x20)})), 413, 'api-spec.yaml is 3,000,001 bytes (3.0 MB) uncompressed; the limit is 3,000,000 bytes (3.0 MB).'],
    ['no metadata part', () => upload('', undefined, {metadata: false}), 400, 'The metadata part is missing from the multipart body.'],
    ['no app_request part', () => upload(zipOf({'api-spec.yaml': SPEC}), undefined, {appRequest: false}), 400, 'The app_request part is missing from the multipart body.'],
    ['app_request not JSON', () => upload(zipOf({'api-spec.yaml': SPEC}), '{client_name'), 400, 'The app_request part is not valid JSON'],
    ['app_request without client_name', () => upload(zipOf({'api-spec.yaml': SPEC}), {}), 400, 'app_request.client_name is required.'],
    ['client_name of the wrong type', () => upload(zipOf({'api-spec.yaml': SPEC}), {client_name: 7}), 400, 'app_request.client_name must be a non-empty string, not a number.'],
    ['a permission set twice', () => upload(zipOf({'api-spec.yaml': SPEC, 'permissionset-meta.xml': '<x/>'}), {authorization_permission_set_name: 'PS', client_name: 'C'}), 400, 'Give the permission set either as permissionset-meta.xml or as authorization_permission_set_name, not both.'],
    ['a connected app twice', () => upload(zipOf({'api-spec.yaml': SPEC, 'connectedapp-meta.xml': '<x/>'}), {authorization_connected_app_name: 'CA', client_name: 'C'}), 400, 'Give the connected app either as connectedapp-meta.xml or as authorization_connected_app_name, not both.'],
    ['an unknown connection', () => upload(zipOf({'api-spec.yaml': SPEC}), undefined, undefined, 'nope'), 404, 'Couldn\'t find a connection named or with id "nope" on this add-on.'],
    ['JSON instead of multipart', () => applink(emu, p, 'POST', '/connections/salesforce/my_org/apps', {client_name: 'x'}), 415, 'Publish expects multipart/form-data'],
    ['a broken multipart body', () => applink(emu, p, 'POST', '/connections/salesforce/my_org/apps', '--x\r\nnot multipart', {'content-type': 'multipart/form-data; boundary=zzz'}), 400, 'The body is not valid multipart/form-data'],
  ]
  for (const [what, send, status, message] of bad) {
    it(`refuses ${what} with ${status} {id, message} and keeps serving`, async () => {
      const res = await send()
      expect(res.status).to.equal(status)
      expect(res.body).to.have.keys(['id', 'message'])
      expect(res.body.message).to.contain(message)
      expect(await client.listPublications('my_org')).to.deep.equal([])
    })
  }

  it('refuses a body over 25 MB with 413 and keeps serving', async () => {
    const {body, contentType} = await multipart(new Uint8Array(26 * 1024 * 1024))
    const res = await applink(emu, p, 'POST', '/connections/salesforce/my_org/apps', body, {'content-type': contentType})
    expect(res.status).to.equal(413)
    expect(res.body).to.deep.equal({id: 'request_too_large', message: 'The request body is larger than the limit of 25 MB.'})
    expect((await client.listConnections()).length).to.equal(1)
  })

  it('publishes only to a connected Salesforce org', async () => {
    await client.createConnection('salesforce', {connection_name: 'pending_org'})
    const pending = await upload(zipOf({'api-spec.yaml': SPEC}), undefined, undefined, 'pending_org')
    expect(pending.status).to.equal(409)
    expect(pending.body.message).to.equal('The connection pending_org is connecting, not connected.')
    const dc = await client.createConnection('datacloud', {connection_name: 'dc_org'})
    await answerLogin(dc.redirect_uri!, {decision: 'allow'})
    const wrongKind = await upload(zipOf({'api-spec.yaml': SPEC}), undefined, undefined, 'dc_org')
    expect(wrongKind.status).to.equal(400)
    expect(wrongKind.body.message).to.equal('dc_org is a Data Cloud org connection; this needs a Salesforce org connection.')
  })
})
