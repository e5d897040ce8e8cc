import {expect} from 'chai'

import type {Emulator} from '../../src/emulator/server/server.js'
import {answerLogin, applink, platform, provision, type Provisioned, removeTempDirs, request, start} from './helpers.js'

/** A body that breaks one field, and that field as the message must name it first. */
interface Case {
  body: unknown
  field: string
}

interface JsonRoute {
  /** a body that is missing a required field (undefined: the route has none) */
  missing?: Case
  name: string
  send: (body: string, headers?: Record<string, string>) => Promise<{body: any; status: number}>
  /** a body with a field of the wrong type */
  wrongType: Case
}

describe('emulator: bad input on every route', () => {
  let emu: Emulator
  let p: Provisioned
  before(async () => {
    emu = await start()
    p = await provision(emu)
    await platform(emu, 'POST', '/apps', {name: 'other-app'})
    const dc = await applink(emu, p, 'POST', '/connections/datacloud', {connection_name: 'dc_org'})
    await answerLogin(dc.body.redirect_uri, {decision: 'allow'})
  })
  after(async () => {
    await emu.close()
    removeTempDirs()
  })

  const plat = (method: string, path: string) => (body: string, headers: Record<string, string> = {}) => platform(emu, method, path, body, headers)
  const al = (path: string) => (body: string, headers: Record<string, string> = {}) => applink(emu, p, 'POST', path, body, {'content-type': 'application/json', ...headers})
  const jwt = {client_id: 'c', jwt_private_key: 'k', username: 'u@x.example'}
  const routes: JsonRoute[] = [
    {name: 'POST /apps', send: plat('POST', '/apps'), wrongType: {body: {name: 42}, field: 'name'}},
    {name: 'PATCH /apps/{app}/config-vars', send: plat('PATCH', '/apps/my-app/config-vars'), wrongType: {body: {FOO: 1}, field: 'FOO'}},
    {missing: {body: {attachment: {name: 'X'}}, field: 'plan'}, name: 'POST /apps/{app}/addons', send: plat('POST', '/apps/other-app/addons'), wrongType: {body: {plan: 5}, field: 'plan'}},
    {missing: {body: {app: 'my-app'}, field: 'addon'}, name: 'POST /actions/addons/resolve', send: plat('POST', '/actions/addons/resolve'), wrongType: {body: {addon: ['x']}, field: 'addon'}},
    {missing: {body: {app: 'my-app'}, field: 'addon_attachment'}, name: 'POST /actions/addon-attachments/resolve', send: plat('POST', '/actions/addon-attachments/resolve'), wrongType: {body: {addon_attachment: true}, field: 'addon_attachment'}},
    {missing: {body: {app: {name: 'other-app'}}, field: 'addon'}, name: 'POST /addon-attachments', send: plat('POST', '/addon-attachments'), wrongType: {body: {addon: {name: 1}, app: {name: 'other-app'}}, field: 'addon.name'}},
    {missing: {body: {login_url: 'https://login.salesforce.com'}, field: 'connection_name'}, name: 'POST connections/salesforce', send: al('/connections/salesforce'), wrongType: {body: {connection_name: 12}, field: 'connection_name'}},
    {missing: {body: {}, field: 'connection_name'}, name: 'POST connections/datacloud', send: al('/connections/datacloud'), wrongType: {body: {connection_name: 'dc_two', login_url: 7}, field: 'login_url'}},
    {missing: {body: {...jwt, connection_name: 'jwt_org', username: undefined}, field: 'username'}, name: 'POST connections/salesforce/jwt', send: al('/connections/salesforce/jwt'), wrongType: {body: {...jwt, connection_name: 'jwt_org', jwt_private_key: {pem: 'x'}}, field: 'jwt_private_key'}},
    {missing: {body: {login_url: 'https://login.salesforce.com'}, field: 'developer_name'}, name: 'POST authorizations/salesforce', send: al('/authorizations/salesforce'), wrongType: {body: {developer_name: 'sf_auth', login_url: 3}, field: 'login_url'}},
    {missing: {body: {}, field: 'developer_name'}, name: 'POST authorizations/datacloud', send: al('/authorizations/datacloud'), wrongType: {body: {developer_name: ['a']}, field: 'developer_name'}},
    {missing: {body: {...jwt, client_id: undefined, developer_name: 'jwt_auth'}, field: 'client_id'}, name: 'POST authorizations/salesforce/jwt', send: al('/authorizations/salesforce/jwt'), wrongType: {body: {...jwt, alias: 9, developer_name: 'jwt_auth'}, field: 'alias'}},
    {missing: {body: {...jwt}, field: 'developer_name'}, name: 'POST authorizations/datacloud/jwt', send: al('/authorizations/datacloud/jwt'), wrongType: {body: {...jwt, developer_name: 'jwt_auth', username: false}, field: 'username'}},
    {missing: {body: {api_name: 'T_1', label: 'T', type: 'webhook'}, field: 'target_endpoint'}, name: 'POST data_action_targets', send: al('/connections/datacloud/dc_org/data_action_targets'), wrongType: {body: {api_name: 'T_1', label: 5, target_endpoint: '/x', type: 'webhook'}, field: 'label'}},
  ]

  afterEach(async () => {
    // whatever came before, the server still serves
    expect((await platform(emu, 'GET', '/apps')).status).to.equal(200)
  })

  const isError = (res: {body: any; status: number}, status: number[]) => {
    expect(status, JSON.stringify(res.body)).to.include(res.status)
    expect(res.body).to.be.an('object')
    expect(res.body.id).to.be.a('string').and.not.equal('internal_error')
    expect(res.body.message).to.be.a('string').and.not.equal('')
    expect(res.body.message).to.not.contain('undefined')
  }

  for (const route of routes) {
    describe(route.name, () => {
      it('malformed JSON → 400', async () => {
        const res = await route.send('{"name": ')
        isError(res, [400])
        expect(res.body.id).to.equal('invalid_params')
        expect(res.body.message).to.match(/^The request body is not valid JSON: /)
      })

      it('a body that is not an object → 400', async () => {
        for (const body of ['[1,2]', '"text"', 'null', '12']) {
          const res = await route.send(body)
          isError(res, [400])
          expect(res.body.message).to.match(/must be a JSON object, not (an array|a string|null|a number)\./)
        }
      })

      it(`a field of the wrong type → 400/422, naming the field (${route.wrongType.field}) and its type`, async () => {
        const res = await route.send(JSON.stringify(route.wrongType.body))
        isError(res, [400, 422])
        expect(res.body.message.startsWith(`${route.wrongType.field} `), res.body.message).to.equal(true)
        expect(res.body.message).to.match(/must be .*, not (a|an) \w+/)
        expect(res.body.message).to.not.contain('is required')
      })

      if (route.missing) {
        const {body, field} = route.missing
        it(`a missing field → 400, naming it (${field})`, async () => {
          const res = await route.send(JSON.stringify(body))
          isError(res, [400])
          expect(res.body.message.startsWith(`${field} is required`), res.body.message).to.equal(true)
          })
      }

      it('another content type → 415', async () => {
        const res = await route.send('name=x', {'content-type': 'application/x-www-form-urlencoded'})
        isError(res, [415])
        expect(res.body.id).to.equal('unsupported_media_type')
      })

      it('a body over 1 MB → 413', async () => {
        const res = await route.send(JSON.stringify({pad: 'x'.repeat(1024 * 1024)}))
        isError(res, [413])
        expect(res.body).to.deep.equal({id: 'request_too_large', message: 'The request body is larger than the limit of 1 MB.'})
      })
    })
  }

  it('the Platform API routes word a wrong type and a missing field exactly', async () => {
    const plan = '{"name": "heroku-applink"}'
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/apps/other-app/addons', {}, `plan is required, as ${plan}.`],
      ['POST', '/apps/other-app/addons', {plan: 5}, `plan must be an object such as ${plan} (or the plan's name as a string), not a number.`],
      ['POST', '/apps/other-app/addons', {plan: {}}, `plan.name is required, as ${plan}.`],
      ['POST', '/apps/other-app/addons', {plan: {name: 5}}, 'plan.name must be a string, not a number.'],
      ['POST', '/actions/addons/resolve', {addon: ['x']}, 'addon must be a string, not an array.'],
      ['POST', '/actions/addons/resolve', {addon: 'x', app: 7}, 'app must be a string, not a number.'],
      ['POST', '/actions/addon-attachments/resolve', {addon_attachment: 'X', addon_service: {}}, 'addon_service must be a string, not an object.'],
      ['POST', '/addon-attachments', {addon: 5, app: 'other-app'}, 'addon must be an object such as {"name": ADDON} or {"id": ID}, not a number.'],
      ['POST', '/addon-attachments', {addon: {}, app: 'other-app'}, 'addon needs a name or an id, as {"name": ADDON} or {"id": ID}.'],
      ['POST', '/addon-attachments', {addon: 'x', app: {id: false}}, 'app.id must be a string, not a boolean.'],
      ['PATCH', '/apps/my-app/config-vars', {FOO: ['a']}, 'FOO must be a string (the config var\'s value) or null (to remove it), not an array.'],
    ]
    for (const [method, path, body, message] of cases) {
      const res = await platform(emu, method, path, body)
      expect({body: res.body, status: res.status}, JSON.stringify(body)).to.deep.equal({body: {id: 'invalid_params', message}, status: method === 'PATCH' ? 422 : 400})
    }
  })

  it('an empty body where JSON is needed → 400', async () => {
    const res = await applink(emu, p, 'POST', '/connections/salesforce', '', {'content-type': 'application/json'})
    expect(res.status).to.equal(400)
    expect(res.body).to.deep.equal({id: 'invalid_params', message: 'The request body is empty: send a JSON object.'})
  })

  it('a path segment that is not valid percent-encoding → 400', async () => {
    const res = await applink(emu, p, 'GET', '/connections/%E0%A4%A')
    expect(res.status).to.equal(400)
    expect(res.body.id).to.equal('invalid_params')
  })

  it('the login form: an unknown state is an HTML page; bad decision, bad org type, bad username → 4xx JSON', async () => {
    const form = (fields: Record<string, string>, type = 'application/x-www-form-urlencoded') => request(`${emu.url}/oauth/login`, {body: new URLSearchParams(fields).toString(), headers: {'content-type': type}, method: 'POST'})
    const pending = await applink(emu, p, 'POST', '/connections/salesforce', {connection_name: 'form_org'})
    const state = new URL(pending.body.redirect_uri).searchParams.get('state')!
    const unknownLink = (r: {headers: Headers; status: number; text: string}) => {
      expect(r.status).to.equal(404)
      expect(r.headers.get('content-type')).to.equal('text/html; charset=utf-8')
      expect(r.text).to.contain('This login link is not valid')
    }

    unknownLink(await form({decision: 'allow', state: 'nope'}))
    isError(await form({decision: 'maybe', state}), [400])
    isError(await form({decision: 'allow', org_type: 'galaxy', state}), [400])
    isError(await form({decision: 'allow', state, username: 'no at sign'}), [400])
    isError(await form({decision: 'allow', state, username: `${'a'.repeat(80)}@x.example`}), [400])
    isError(await form({decision: 'allow', state}, 'application/json'), [415])
    unknownLink(await request(`${emu.url}/oauth/login?state=`))
    isError(await request(`${emu.url}/oauth/login`, {body: 'x'.repeat(70 * 1024), headers: {'content-type': 'application/x-www-form-urlencoded'}, method: 'POST'}), [413])
    // still pending after all that
    expect((await applink(emu, p, 'GET', '/connections/form_org')).body.status).to.equal('connecting')
  })

  it('the SSO landing: missing fields and another content type → 4xx JSON', async () => {
    isError(await request(`${emu.url}/sso/login`, {body: 'id=x', headers: {'content-type': 'application/x-www-form-urlencoded'}, method: 'POST'}), [400])
    isError(await request(`${emu.url}/sso/login`, {body: '{}', headers: {'content-type': 'application/json'}, method: 'POST'}), [415])
  })

  it('a malformed HTTP request gets a 400 and the server keeps serving', async () => {
    const net = await import('node:net')
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(emu.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'))
      let data = ''
      socket.on('data', d => {
        data += d
      })
      socket.on('end', () => resolve(data))
      socket.on('error', reject)
    })
    expect(reply).to.match(/^HTTP\/1\.1 400 Bad Request/)
    expect(reply).to.contain('{"id":"bad_request","message":"Malformed HTTP request."}')
  })
})
