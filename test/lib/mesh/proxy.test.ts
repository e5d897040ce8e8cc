/**
 * The mesh's pipeline in front of a small app (test/helpers/invoke-app.ts, which parses each
 * request with the real @heroku/applink SDK), against the emulator's invocation check: each
 * validation answer of the production mesh (status, body, headers, log lines), the authentication
 * call and how its answers map, bypass routes and the health check, and forwarding as it is.
 */
import {expect} from 'chai'
import type {Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {Authenticator} from '../../../src/lib/mesh/authenticate.js'
import {MeshLog} from '../../../src/lib/mesh/log.js'
import {createMeshServer} from '../../../src/lib/mesh/proxy.js'
import {removeTempDirs} from '../../emulator/helpers.js'
import {type InvokeApp, startInvokeApp} from '../../helpers/invoke-app.js'
import {exchange, invocationHeaders, meshBackend, type MeshBackend, messages} from './helpers.js'

describe('mesh: the request pipeline', function () {
  this.timeout(60_000)
  let b: MeshBackend
  let app: InvokeApp
  let server: Server
  let port: number
  const out: string[] = []
  const err: string[] = []

  async function mesh(options: {apiUrl?: string; bypassAll?: boolean; bypassRoutes?: string[]; healthcheck?: {enable: string; route: string}} = {}): Promise<void> {
    server?.close()
    const log = new MeshLog({app: 'local', level: 'INFO', writer: {err: t => err.push(t.trimEnd()), out: t => out.push(t.trimEnd())}})
    server = createMeshServer({
      appHost: '127.0.0.1',
      appPort: Number(new URL(app.url).port),
      auth: new Authenticator({apiUrl: options.apiUrl ?? b.p.apiUrl, token: b.p.token}),
      bypassAll: options.bypassAll ?? false,
      bypassRoutes: options.bypassRoutes ?? [],
      healthcheck: options.healthcheck ?? {enable: 'true', route: '/healthcheck'},
      log,
    })
    await new Promise<void>(resolve => {
      server.listen(0, '127.0.0.1', resolve)
    })
    port = (server.address() as AddressInfo).port
  }

  before(async () => {
    b = await meshBackend()
    app = await startInvokeApp()
  })
  after(async () => {
    server?.close()
    await app.close()
    await b.emu.close()
    removeTempDirs()
  })
  beforeEach(async () => {
    out.length = 0
    err.length = 0
    app.requests.length = 0
    b.faults.clear()
    await mesh()
  })

  const refused = (r: {body: string; headers: Record<string, unknown>; status: number}, status: number, body: string) => {
    expect([r.status, r.body]).to.deep.equal([status, `${body}\n`])
    expect(r.headers['content-type']).to.equal('text/plain; charset=utf-8')
    expect(r.headers['x-content-type-options']).to.equal('nosniff')
    expect(app.requests, 'the app received nothing').to.deep.equal([])
  }

  it('forwards an invocation the emulator authenticates: headers, Host, body; the app\'s answer as it came', async () => {
    const {headers, requestId} = invocationHeaders(b)
    const body = '{"name": "Acme"}'
    const r = await exchange(port, 'POST', '/accounts?x=1', [...headers, ['Content-Type', 'application/json'], ['X-Dup', 'first'], ['X-Dup', 'last']], body)
    expect([r.status, JSON.parse(r.body)]).to.deep.equal([201, {accountId: '001000000000002AAA', contactId: null}])
    expect(r.headers['x-request-id'], 'a request id that came in is not echoed').to.equal(undefined)
    const [seen] = app.requests
    expect([seen.method, seen.path, seen.body]).to.deep.equal(['POST', '/accounts?x=1', body])
    expect(seen.headers['x-request-context'], 'x-request-context is not forwarded').to.equal(undefined)
    expect(seen.headers.host).to.equal(`127.0.0.1:${new URL(app.url).port}`)
    expect(seen.headers['x-dup'], 'the last of several values').to.equal('last')
    expect(seen.headers['x-request-id']).to.equal(requestId)
    expect(seen.sdk).to.deep.include({accessToken: b.org.accessToken, id: requestId, orgId: b.org.id, userId: b.org.userId})
    const [call] = b.faults.seen('POST', /\/invocations\/authentication$/)
    expect(JSON.parse(call.body.toString('utf8'))).to.deep.equal({app_uuid: b.p.app.id, core_jwt_token: b.org.accessToken, org_domain_url: b.org.instanceUrl, org_id: b.org.id})
    expect(call.headers.authorization).to.equal(`Bearer ${b.p.token}`)
    expect(call.headers.request_id).to.equal(requestId)
    expect(call.headers['content-type']).to.equal('application/json')
    expect(messages(err)).to.deep.equal([
      'INFO Processing request to /accounts...', 'INFO Validating request...', 'INFO Valid request!', 'INFO Found Salesforce request',
      `INFO Authenticating Salesforce request for org ${b.org.id}, domain ${b.org.instanceUrl}...`, 'INFO Authenticated request!', 'INFO Forwarding request...',
    ])
    expect(err[0]).to.match(new RegExp(`^time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) level=INFO msg="Processing request to /accounts\\.\\.\\." app=local source=heroku-applink-service-mesh request-id=${requestId}$`))
    expect(err.at(-1)).to.match(new RegExp(`^time=\\S+ level=INFO msg="Forwarding request\\.\\.\\." request-id=${requestId}$`))
    expect(out).to.have.length(1)
    expect(out[0]).to.match(new RegExp(`^\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[${requestId}\\] "POST http://127\\.0\\.0\\.1:${port}/accounts\\?x=1 HTTP/1\\.1" from 127\\.0\\.0\\.1:\\d+ - 201 ${Buffer.byteLength(r.body)}B in \\d+(\\.\\d+)?(µs|ms|s)$`))
  })

  it('keeps every value of a repeated response header', async () => {
    const {headers} = invocationHeaders(b)
    app.next = {raw: 'ok', status: 200, headers: {'Set-Cookie': ['a=1', 'b=2'] as unknown as string}}
    const r = await exchange(port, 'GET', '/accounts', headers)
    expect(r.headers['set-cookie']).to.deep.equal(['a=1', 'b=2'])
    expect(r.body).to.equal('ok')
  })

  it('401 without any Salesforce header or signature', async () => {
    const r = await exchange(port, 'GET', '/accounts')
    refused(r, 401, '401 Invalid request')
    expect(r.headers['x-request-id'], 'the generated id is on the response').to.match(/^[0-9a-f-]{36}$/)
    expect(messages(err)).to.deep.equal(['WARN Generated x-request-id header', 'INFO Processing request to /accounts...', 'INFO Validating request...', 'ERROR Invalid request!', 'ERROR 401 Invalid request'])
    expect(out[0]).to.contain(`[${r.headers['x-request-id']}] "GET http://127.0.0.1:${port}/accounts HTTP/1.1"`)
    expect(out[0]).to.contain(' - 401 20B in ')
  })

  it('400 with only one of x-request-context and x-client-context', async () => {
    const {headers} = invocationHeaders(b)
    refused(await exchange(port, 'GET', '/accounts', headers.filter(([n]) => n !== 'x-client-context')), 400, '400 Invalid request')
    refused(await exchange(port, 'GET', '/accounts', headers.filter(([n]) => n !== 'x-request-context')), 400, '400 Invalid request')
    expect(messages(err).filter(m => m.startsWith('ERROR'))).to.deep.equal(['ERROR Invalid request!', 'ERROR 400 Invalid request', 'ERROR Invalid request!', 'ERROR 400 Invalid request'])
  })

  it('400 for an x-request-context that is not base64, or not JSON', async () => {
    const {headers} = invocationHeaders(b)
    const swap = (value: string) => headers.map(([n, v]): [string, string] => [n, n === 'x-request-context' ? value : v])
    refused(await exchange(port, 'GET', '/accounts', swap('not base64!')), 400, '400 Invalid x-request-context header')
    refused(await exchange(port, 'GET', '/accounts', swap(Buffer.from('{not json').toString('base64'))), 400, '400 Invalid x-request-context header')
    refused(await exchange(port, 'GET', '/accounts', swap(Buffer.from('{"id": 42}').toString('base64'))), 400, '400 Invalid x-request-context header')
    expect(messages(err).filter(m => m.startsWith('ERROR'))).to.deep.equal([
      'ERROR Invalid request! Unable to decode Salesforce x-request-context header',
      'ERROR Invalid request! Unable to unmarshal Salesforce x-request-context header',
      'ERROR Invalid request! Unable to unmarshal Salesforce x-request-context header',
    ])
  })

  it('400 naming the first empty field of the context, in the mesh\'s order', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{id: '', auth: ''}, 'ID'], [{auth: ''}, 'Auth'], [{loginUrl: null}, 'LoginUrl'], [{orgDomainUrl: ''}, 'OrgDomainUrl'],
      [{orgId: ''}, 'OrgID'], [{resource: ''}, 'Resource'], [{type: ''}, 'Type'], [{appUuid: ''}, 'AppUUID'],
    ]
    for (const [over, field] of cases) {
      err.length = 0
      const r = await exchange(port, 'GET', '/accounts', invocationHeaders(b, over).headers)
      refused(r, 400, `400 Missing or invalid value in x-request-context header: ${field}`)
      expect(messages(err).at(-1)).to.equal(`ERROR Invalid request! Missing or invalid value in x-request-context header: ${field}`)
    }
  })

  it('400 when x-request-id does not contain the context\'s id, or is missing', async () => {
    const {headers} = invocationHeaders(b)
    const other = headers.map(([n, v]): [string, string] => [n, n === 'x-request-id' ? 'someone-else' : v])
    refused(await exchange(port, 'GET', '/accounts', other), 400, '400 Invalid x-request-context header')
    refused(await exchange(port, 'GET', '/accounts', headers.filter(([n]) => n !== 'x-request-id')), 400, '400 Invalid x-request-context header')
    expect(messages(err).filter(m => m.startsWith('ERROR'))).to.deep.equal(Array(2).fill('ERROR Invalid request! Missing or mismatch x-request-id and x-request-context#id'))
  })

  it('403 Forbidden when AppLink refuses the token (a forged one, another org\'s)', async () => {
    const forged = await exchange(port, 'GET', '/accounts', invocationHeaders(b, {auth: `${b.org.id}!${'a'.repeat(60)}`}).headers)
    refused(forged, 403, 'Forbidden')
    expect(messages(err)).to.include(`WARN Unauthorized request! Org ${b.org.id} not found or not connected to app`)
    expect(messages(err)).to.not.include('INFO Authenticated request!')
  })

  it('another AppLink status is answered as it came, with AppLink\'s body; no answer at all is a 500', async () => {
    b.faults.add('POST', /\/invocations\/authentication$/, {body: 'upstream busy', status: 503})
    const busy = await exchange(port, 'GET', '/accounts', invocationHeaders(b).headers)
    refused(busy, 503, 'upstream busy')
    expect(messages(err)).to.include('ERROR Failed to authenticate request: statusCode 503, body \'upstream busy\'')
    await mesh({apiUrl: 'http://127.0.0.1:9/addons/x'})
    const {headers, requestId} = invocationHeaders(b)
    const down = await exchange(port, 'GET', '/accounts', headers)
    expect(down.status).to.equal(500)
    expect(down.body).to.match(new RegExp(`^unable to invoke Salesforce authentication request ${requestId}: .*ECONNREFUSED.*\\n$`))
    expect(messages(err).at(-1)).to.match(/^ERROR Failed to authenticate Salesforce request: .*ECONNREFUSED/)
  })

  it('a data action request: the signature checked with /data_action_targets/authenticate, then forwarded', async () => {
    // the emulator's route is being added at the same time: its answers are scripted here
    b.faults.add('POST', /\/data_action_targets\/authenticate$/, {body: {}, status: 200})
    const payload = '{"events":[{"ActionDeveloperName":"a"}]}'
    const r = await exchange(port, 'POST', `/hook?orgId=${b.org.id}&apiName=my_target`, [['x-signature', 'c2lnbmF0dXJl'], ['content-type', 'application/json']], payload)
    expect(r.status).to.equal(404) // the test app has no /hook route: it answered
    expect(app.requests.map(q => [q.path, q.body, q.headers['x-signature']])).to.deep.equal([[`/hook?orgId=${b.org.id}&apiName=my_target`, payload, 'c2lnbmF0dXJl']])
    const [call] = b.faults.seen('POST', /\/data_action_targets\/authenticate$/)
    expect(JSON.parse(call.body.toString('utf8'))).to.deep.equal({api_name: 'my_target', org_id: b.org.id, payload, signature: 'c2lnbmF0dXJl'})
    expect(call.headers.authorization).to.equal(`Bearer ${b.p.token}`)
    expect(messages(err).slice(1)).to.deep.equal([
      'INFO Processing request to /hook...', 'INFO Validating request...', 'INFO Found Data Action Target request',
      `INFO Authenticating Data Action Target 'my_target' request from org ${b.org.id} with payload length ${payload.length}...`, 'INFO Authenticated request!', 'INFO Forwarding request...',
    ])
    app.requests.length = 0
    b.faults.add('POST', /\/data_action_targets\/authenticate$/, {status: 401})
    refused(await exchange(port, 'POST', `/hook?orgId=${b.org.id}&apiName=my_target`, [['x-signature', 'bad']], payload), 403, 'Forbidden')
    expect(messages(err).at(-1)).to.equal(`WARN Unauthorized request! Org ${b.org.id} not found or not connected to app and/or Data Action Target 'my_target' signed key not found or is invalid`)
  })

  it('bypass routes, a prefix ending in *, and the health check skip the checks; the app still answers', async () => {
    await mesh({bypassRoutes: ['/public', '/docs/*']})
    for (const path of ['/public', '/docs/a/b', '/healthcheck']) expect((await exchange(port, 'GET', path)).status, path).to.equal(404)
    expect(app.requests.map(q => q.path)).to.deep.equal(['/public', '/docs/a/b', '/healthcheck'])
    expect(messages(err).filter(m => m.includes('Bypassing'))).to.deep.equal(['/public', '/docs/a/b', '/healthcheck'].map(p => `WARN Bypassing validation and authentication for route ${p}`))
    expect((await exchange(port, 'GET', '/publicity')).status, 'an exact entry is not a prefix').to.equal(401)
    await mesh({healthcheck: {enable: 'false', route: '/healthcheck'}})
    expect((await exchange(port, 'GET', '/healthcheck')).status, 'a disabled health check').to.equal(401)
  })

  it('HEROKU_APPLINK_SERVICE_MESH_BYPASS_ALL_ROUTES: nothing checked, nothing authenticated', async () => {
    await mesh({bypassAll: true})
    expect((await exchange(port, 'GET', '/accounts')).status).to.equal(200)
    expect(b.faults.seen('POST', /\/invocations\/authentication$/)).to.deep.equal([])
    expect(messages(err).slice(1, 3)).to.deep.equal(['INFO Processing request to /accounts...', 'WARN Bypassing authentication and validation for ALL routes'])
  })

  it('502 when the app does not answer', async () => {
    await app.close()
    try {
      const {headers, requestId} = invocationHeaders(b)
      const r = await exchange(port, 'GET', '/accounts', headers)
      expect([r.status, r.body]).to.deep.equal([502, `Failed to forward request ${requestId}\n`])
      expect(messages(err).at(-1)).to.match(/^ERROR Failed to forward request: GET "http:\/\/127\.0\.0\.1:\d+\/accounts": .*ECONNREFUSED/)
    } finally {
      app = await startInvokeApp()
    }
  })
})
