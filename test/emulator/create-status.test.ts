/**
 * The HTTP status of every AppLink create, held to the table of docs/applink-api.md §3 (what the
 * hosted service answers, and what the plugin's fixtures answer): 202 while the work goes on after
 * the answer (an OAuth login, a data action target being set up), 201 when it is done. The numbers
 * below are written out from that table, never taken from the emulator.
 */
import {expect} from 'chai'
import {zipSync} from 'fflate'
import {readFileSync} from 'node:fs'

import type {Emulator} from '../../src/emulator/server/server.js'
import {answerLogin, applink, type Provisioned, provision, removeTempDirs, start, testKeys} from './helpers.js'

interface Create {
  /** the body (JSON), or a multipart upload */
  body: (keys: {ec: string; rsa: string}) => unknown
  /** the `status` field of the resource answered */
  resource: string
  /** the path under /addons/{addon}, as the doc writes it */
  route: string
  status: number
}

const SPEC = readFileSync(new URL('fixtures/orders.yaml', import.meta.url))
const JWT = {client_id: 'c', username: 'bot@acme.example'}

// docs/applink-api.md §3, "What a create answers"
const CREATES: Create[] = [
  {body: () => ({connection_name: 'sf_new'}), resource: 'connecting', route: '/connections/salesforce', status: 202},
  {body: () => ({connection_name: 'dc_new'}), resource: 'connecting', route: '/connections/datacloud', status: 202},
  {body: k => ({...JWT, connection_name: 'jwt_conn', jwt_private_key: k.rsa}), resource: 'connected', route: '/connections/salesforce/jwt', status: 201},
  {body: k => ({...JWT, connection_name: 'jwt_bad', jwt_private_key: k.ec}), resource: 'failed', route: '/connections/salesforce/jwt', status: 201},
  {body: () => ({developer_name: 'sf_auth'}), resource: 'authorizing', route: '/authorizations/salesforce', status: 202},
  {body: () => ({developer_name: 'dc_auth'}), resource: 'authorizing', route: '/authorizations/datacloud', status: 202},
  {body: k => ({...JWT, developer_name: 'jwt_sf', jwt_private_key: k.rsa}), resource: 'authorized', route: '/authorizations/salesforce/jwt', status: 201},
  {body: k => ({...JWT, developer_name: 'jwt_dc', jwt_private_key: k.rsa}), resource: 'authorized', route: '/authorizations/datacloud/jwt', status: 201},
  {body: k => ({...JWT, developer_name: 'jwt_dc_bad', jwt_private_key: k.ec}), resource: 'failed', route: '/authorizations/datacloud/jwt', status: 201},
  {body: () => ({api_name: 'Orders', label: 'Orders', target_endpoint: '/orders', type: 'webhook'}), resource: 'pending', route: '/connections/datacloud/{CONNECTION}/data_action_targets', status: 202},
  {body: () => 'multipart', resource: '', route: '/connections/salesforce/{CONNECTION}/apps', status: 201},
]

/** The publish upload: a `metadata` zip holding the spec, and the `app_request` part. */
async function publishBody(): Promise<{body: Buffer; contentType: string}> {
  const form = new FormData()
  form.append('metadata', new Blob([new Uint8Array(zipSync({'api-spec.yaml': new Uint8Array(SPEC)}))], {type: 'application/zip'}), 'metadata.zip')
  form.append('app_request', new Blob([JSON.stringify({client_name: 'OrdersAPI'})], {type: 'application/json'}))
  const res = new Response(form)
  return {body: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type')!}
}

describe('emulator: the status of each create (docs/applink-api.md §3)', () => {
  let emu: Emulator
  let p: Provisioned
  let keys: {ec: string; rsa: string}
  before(async () => {
    keys = await testKeys()
    emu = await start()
    p = await provision(emu)
    for (const kind of ['salesforce', 'datacloud']) {
      const made = await applink(emu, p, 'POST', `/connections/${kind}`, {connection_name: `${kind}_org`})
      await answerLogin(made.body.redirect_uri, {decision: 'allow'})
    }
  })
  after(async () => {
    await emu.close()
    removeTempDirs()
  })

  for (const c of CREATES) {
    const name = `POST ${c.route} → ${c.status}${c.resource ? `, ${c.resource}` : ''}`
    it(name, async () => {
      const path = c.route.replace('{CONNECTION}', c.route.includes('/datacloud/') ? 'datacloud_org' : 'salesforce_org')
      const body = c.body(keys)
      const res = body === 'multipart'
        ? await publishBody().then(u => applink(emu, p, 'POST', path, u.body, {'content-type': u.contentType}))
        : await applink(emu, p, 'POST', path, body)
      expect(res.status, res.text).to.equal(c.status)
      if (c.resource) expect(res.body.status).to.equal(c.resource)
      else expect(res.body.connection_name).to.equal('salesforce_org')
    })
  }

  it('the table above is the one the doc gives', () => {
    const doc = readFileSync(new URL('../../docs/applink-api.md', import.meta.url), 'utf8')
    const rows = [...doc.matchAll(/^\| `POST \/addons\/\{addon\}(\S+)`[^|]* \| (\d{3}) \|/gm)].map(m => `${m[1]} ${m[2]}`)
    expect(rows).to.deep.equal([...new Set(CREATES.map(c => `${c.route} ${c.status}`))])
  })
})
